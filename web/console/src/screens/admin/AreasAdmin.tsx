import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { areasQuery, type AreaView } from '../../api/dispatch.ts';
import { sessionQuery } from '../../api/queries.ts';
import { useStaffNames } from '../../changed-elsewhere.tsx';
import { useLiveEvent } from '../../live.ts';
import { toUiError } from '../../api/errors.ts';
import { ErrorSummary, Loading, PageHeading, StatusMessage, focusById } from '../../components.tsx';
import { AdminNav } from './AdminNav.tsx';
import { AreaImport } from './AreaImport.tsx';
import { useChangeArea, useRemoveArea } from './areas-api.ts';

/**
 * The force's districts and beats (decision 0098): imported from a boundary file, renamed, set
 * urban or rural (the response targets follow), removed (incidents recorded in one keep its name).
 */
export function AreasAdminScreen() {
  const areas = useQuery(areasQuery);
  const change = useChangeArea();
  const remove = useRemoveArea();
  const [notice, setNotice] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [removing, setRemoving] = useState<AreaView | null>(null);
  const error = toUiError(change.error ?? remove.error);
  const session = useQuery(sessionQuery);
  const [changedBy, setChangedBy] = useState<{ staffId: string | null } | null>(null);
  // The list refetches itself on the same message (api/live-sync.ts); a colleague's change is also
  // said, politely and without taking focus, so the admin knows why rows moved (decision 0100),
  // naming the colleague as a form's notice does (decision 0105).
  useLiveEvent((message) => {
    if (message.type !== 'areas.changed' || (message.byStaffId !== undefined && message.byStaffId === session.data?.user.id)) return;
    setChangedBy({ staffId: message.byStaffId ?? null });
  });
  // Undefined while the names are read, so the notice is announced once, with the name in it.
  const names = useStaffNames(changedBy?.staffId != null);
  const changer = changedBy?.staffId != null ? names?.find((person) => person.id === changedBy.staffId)?.name : undefined;
  const changedElsewhere = changedBy && names ? `${changer ?? 'Someone else'} changed the areas. The list shows them as they are now.` : null;

  const done = (message: string) => {
    setNotice(message);
    focusById('areas-notice');
  };
  function saveName(event: FormEvent<HTMLFormElement>, area: AreaView) {
    event.preventDefault();
    if (!renaming || change.isPending) return;
    change.mutate({ areaId: area.id, changes: { name: renaming.name } }, { onSuccess: (saved) => { setRenaming(null); done(`${area.name} is now called ${saved.name}.`); } });
  }

  return (
    <>
      <PageHeading title="Areas">Areas</PageHeading>
      <AdminNav current="areas" />
      <p>The force’s districts and beats. An incident’s place is put in them, and its response targets follow its district’s setting, urban or rural.</p>
      <StatusMessage message={notice} id="areas-notice" />
      <p role="status" aria-live="polite" className={changedElsewhere ? 'notice' : 'visually-hidden'} data-testid="areas-changed-elsewhere">
        {changedElsewhere ?? ''}
      </p>
      <ErrorSummary error={error} />
      {areas.isPending && <Loading what="areas" />}
      {areas.data && areas.data.length === 0 && <p className="empty">The force has no areas yet. Import them from a boundary file.</p>}
      {areas.data && areas.data.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="areas-table">
            <caption className="visually-hidden">The force’s districts and beats with their setting</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Setting</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {areas.data.map((area) => (
                <tr key={area.id} data-testid="area-row" data-name={area.name}>
                  <th scope="row">
                    {renaming?.id === area.id ? (
                      <form onSubmit={(e) => saveName(e, area)} className="form--inline">
                        <label htmlFor={`area-name-${area.id}`} className="visually-hidden">
                          New name for {area.name}
                        </label>
                        <input id={`area-name-${area.id}`} type="text" value={renaming.name} onChange={(e) => setRenaming({ id: area.id, name: e.target.value })} autoComplete="off" />{' '}
                        <button type="submit" className="button button--small">Save</button>{' '}
                        <button type="button" className="button button--small button--secondary" onClick={() => setRenaming(null)}>
                          Cancel
                        </button>
                      </form>
                    ) : (
                      area.name
                    )}
                  </th>
                  <td>{area.kind === 'district' ? 'District' : 'Beat'}</td>
                  <td data-testid="area-setting">{area.setting === 'urban' ? 'Urban' : 'Rural'}</td>
                  <td>
                    <div className="dispatch-actions">
                      <button
                        type="button"
                        className="button button--small button--secondary"
                        onClick={() => {
                          setRenaming({ id: area.id, name: area.name });
                          window.setTimeout(() => focusById(`area-name-${area.id}`), 0);
                        }}
                      >
                        Rename<span className="visually-hidden"> {area.name}</span>
                      </button>
                      <button
                        type="button"
                        className="button button--small button--secondary"
                        data-testid="area-set-setting"
                        onClick={() => {
                          const to = area.setting === 'urban' ? 'rural' : 'urban';
                          change.mutate({ areaId: area.id, changes: { setting: to } }, { onSuccess: () => done(`${area.name} is now ${to}.`) });
                        }}
                      >
                        Set {area.setting === 'urban' ? 'rural' : 'urban'}
                        <span className="visually-hidden"> for {area.name}</span>
                      </button>
                      {removing?.id === area.id ? (
                        <>
                          <button
                            type="button"
                            className="button button--small button--warning"
                            data-testid="area-remove-confirm"
                            onClick={() => remove.mutate(area.id, { onSuccess: () => { setRemoving(null); done(`${area.name} removed. Incidents recorded in it keep its name.`); } })}
                          >
                            Remove {area.name} for good
                          </button>
                          <button type="button" className="button button--small button--secondary" onClick={() => setRemoving(null)}>
                            Keep it
                          </button>
                        </>
                      ) : (
                        <button type="button" className="button button--small button--secondary" data-testid="area-remove" onClick={() => setRemoving(area)}>
                          Remove<span className="visually-hidden"> {area.name}</span>
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <AreaImport onDone={done} />
    </>
  );
}
