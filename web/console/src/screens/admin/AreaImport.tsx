import { useState, type FormEvent } from 'react';
import { toUiError } from '../../api/errors.ts';
import type { AreaImportInput, AreaImportPreview } from '../../api/types.ts';
import { ErrorSummary } from '../../components.tsx';
import { AreaOutline } from './AreaOutline.tsx';
import { useImportAreas, usePreviewAreaImport } from './areas-api.ts';

const ACTION_LABELS = { draw: 'New area', reshape: 'Replaces the shape of the area with this name' } as const;

/**
 * Importing a boundary file (decision 0098): choose the file, how its features are named and, for
 * those that do not say, their kind and setting; preview what will be drawn and what replaced,
 * with the shapes outlined; confirm. Nothing changes before the confirmation.
 */
export function AreaImport({ onDone }: { onDone: (message: string) => void }) {
  const preview = usePreviewAreaImport();
  const importing = useImportAreas();
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [nameProperty, setNameProperty] = useState('');
  const [kind, setKind] = useState<'district' | 'beat'>('district');
  const [setting, setSetting] = useState<'urban' | 'rural'>('urban');
  const [confirmed, setConfirmed] = useState(false);
  const [shown, setShown] = useState<AreaImportPreview | null>(null);

  const request = (): AreaImportInput | null =>
    file ? { format: /\.kml$/i.test(file.name) ? 'kml' : 'geojson', text: file.text, kind, setting, ...(nameProperty ? { nameProperty } : {}) } : null;
  const propertyKeys = [...new Set((shown?.features ?? []).flatMap((f) => Object.keys(f.properties)))].sort();

  function showPreview(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = request();
    if (!body || preview.isPending) return;
    importing.reset();
    setConfirmed(false);
    preview.mutate(body, { onSuccess: (answer) => setShown(answer), onError: () => setShown(null) });
  }
  function confirm() {
    const body = request();
    if (!body || importing.isPending) return;
    importing.mutate(
      { ...body, ...(confirmed ? { confirmWarnings: true } : {}) },
      {
        onSuccess: (done) => {
          setShown(null);
          setFile(null);
          onDone(`Imported: ${done.drawn.length} new, ${done.reshaped.length} replaced.`);
        },
      },
    );
  }

  return (
    <section className="panel" aria-labelledby="h-area-import" data-testid="area-import">
      <h2 id="h-area-import" tabIndex={-1}>
        Import from a boundary file
      </h2>
      <form onSubmit={showPreview} noValidate className="form">
        <ErrorSummary error={toUiError(preview.error)} />
        <div className="field">
          <label htmlFor="area-file">Boundary file</label>
          <p className="hint" id="area-file-hint">
            GeoJSON (.geojson or .json, longitude first) or KML (.kml, as data.police.uk publishes boundaries), in longitude and latitude.
          </p>
          <input
            id="area-file"
            type="file"
            accept=".geojson,.json,.kml"
            aria-describedby="area-file-hint"
            onChange={(e) => {
              const chosen = e.target.files?.[0];
              setShown(null);
              if (chosen) void chosen.text().then((text) => setFile({ name: chosen.name, text }));
              else setFile(null);
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="area-name-property">Name each area from</label>
          <select id="area-name-property" value={nameProperty} onChange={(e) => setNameProperty(e.target.value)}>
            <option value="">Its name (the KML name, or a property called name)</option>
            {propertyKeys.map((key) => (
              <option key={key} value={key}>
                The property {key}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="area-kind">Kind, where the file does not say</label>
          <select id="area-kind" value={kind} onChange={(e) => setKind(e.target.value === 'beat' ? 'beat' : 'district')}>
            <option value="district">District</option>
            <option value="beat">Beat</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="area-setting">Setting, where the file does not say</label>
          <select id="area-setting" value={setting} onChange={(e) => setSetting(e.target.value === 'rural' ? 'rural' : 'urban')}>
            <option value="urban">Urban</option>
            <option value="rural">Rural</option>
          </select>
        </div>
        <button type="submit" className="button button--secondary" disabled={!file} data-testid="area-preview">
          Preview
        </button>
      </form>
      {shown && (
        <div data-testid="area-preview-result">
          <h3>What the import will do</h3>
          <AreaOutline shapes={shown.features.map((f) => ({ name: f.name ?? `Feature ${f.index + 1}`, geometry: f.geometry }))} title="Outline of the file's shapes" />
          <ul className="warnings">
            {shown.warnings.map((warning) => (
              <li key={warning} className="field-error">
                {warning}
              </li>
            ))}
          </ul>
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">The file's features and what each becomes</caption>
              <thead>
                <tr>
                  <th scope="col">Feature</th>
                  <th scope="col">Name</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Setting</th>
                  <th scope="col">Result</th>
                </tr>
              </thead>
              <tbody>
                {shown.features.map((f) => (
                  <tr key={f.index} data-testid="area-preview-row">
                    <td>{f.index + 1}</td>
                    <th scope="row">{f.name ?? 'No name'}</th>
                    <td>{f.kind ?? '—'}</td>
                    <td>{f.setting ?? '—'}</td>
                    <td>{f.action ? ACTION_LABELS[f.action] : (f.problem ?? 'Skipped')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ErrorSummary error={toUiError(importing.error)} />
          {shown.warnings.length > 0 && (
            <div className="checkbox">
              <input id="area-confirm-warnings" type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />{' '}
              <label htmlFor="area-confirm-warnings">I have checked the warnings and the outline</label>
            </div>
          )}
          <button type="button" className="button" onClick={confirm} disabled={!shown.ready || (shown.warnings.length > 0 && !confirmed)} data-testid="area-confirm">
            Import these areas
          </button>
        </div>
      )}
    </section>
  );
}
