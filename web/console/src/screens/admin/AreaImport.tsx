import { useState, type FormEvent } from 'react';
import { toUiError } from '../../api/errors.ts';
import type { AreaImportInput, AreaImportPreview } from '../../api/types.ts';
import { ErrorSummary } from '../../components.tsx';
import { AreaOutline } from './AreaOutline.tsx';
import { useImportAreas, usePreviewAreaImport } from './areas-api.ts';

const ACTION_LABELS = { draw: 'New area', reshape: 'Replaces the shape of the area with this name' } as const;

type Kind = 'district' | 'beat';
type Setting = 'urban' | 'rural';
/** The admin's choices for single features, by their index in the file; a feature without one follows its properties, else the file-wide choice. */
type FeatureChoices = Record<number, { kind?: Kind; setting?: Setting }>;

/**
 * Importing a boundary file (decision 0098): choose the file, how its features are named and, for
 * those that do not say, their kind and setting; preview what will be drawn and what replaced,
 * with the shapes outlined; set any feature's kind and setting on its own row, or the file-wide
 * ones on every row (decision 0100: a real file mixes urban and rural districts); confirm.
 * Nothing changes before the confirmation.
 */
export function AreaImport({ onDone }: { onDone: (message: string) => void }) {
  const preview = usePreviewAreaImport();
  const importing = useImportAreas();
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [nameProperty, setNameProperty] = useState('');
  const [kind, setKind] = useState<Kind>('district');
  const [setting, setSetting] = useState<Setting>('urban');
  const [choices, setChoices] = useState<FeatureChoices>({});
  const [confirmed, setConfirmed] = useState(false);
  const [shown, setShown] = useState<AreaImportPreview | null>(null);

  const request = (chosen: FeatureChoices = choices): AreaImportInput | null => {
    if (!file) return null;
    const features = Object.entries(chosen).map(([index, choice]) => ({ index: Number(index), ...choice }));
    return { format: /\.kml$/i.test(file.name) ? 'kml' : 'geojson', text: file.text, kind, setting, ...(nameProperty ? { nameProperty } : {}), ...(features.length > 0 ? { features } : {}) };
  };
  const propertyKeys = [...new Set((shown?.features ?? []).flatMap((f) => Object.keys(f.properties)))].sort();

  function showPreview(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (preview.isPending) return;
    previewWith(choices);
  }
  function previewWith(chosen: FeatureChoices) {
    const body = request(chosen);
    if (!body) return;
    importing.reset();
    setConfirmed(false);
    preview.mutate(body, { onSuccess: (answer) => setShown(answer), onError: () => setShown(null) });
  }
  /** One feature's kind or setting chosen on its row: the preview is read again, so its result (new or replaced) follows. */
  function choose(index: number, choice: { kind?: Kind; setting?: Setting }) {
    const chosen = { ...choices, [index]: { ...choices[index], ...choice } };
    setChoices(chosen);
    previewWith(chosen);
  }
  /** The file-wide kind and setting on every row, over what the file's properties or earlier rows said. */
  function applyToAll() {
    const chosen: FeatureChoices = Object.fromEntries((shown?.features ?? []).map((f) => [f.index, { kind, setting }]));
    setChoices(chosen);
    previewWith(chosen);
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
          setChoices({});
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
              setChoices({});
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
          <fieldset className="field" data-testid="area-feature-choices">
            <legend>Each area’s kind and setting</legend>
            <p className="hint">Each row starts from the file’s own properties, else the kind and setting chosen above.</p>
            <button type="button" className="button button--secondary button--small" onClick={applyToAll} disabled={preview.isPending} data-testid="area-apply-to-all">
              Apply {kind === 'district' ? 'district' : 'beat'} and {setting} to all
            </button>
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
                  {shown.features.map((f) => {
                    const label = f.name ?? `feature ${f.index + 1}`;
                    return (
                      <tr key={f.index} data-testid="area-preview-row" data-name={f.name ?? ''}>
                        <td>{f.index + 1}</td>
                        <th scope="row">{f.name ?? 'No name'}</th>
                        <td>
                          <label htmlFor={`area-kind-${f.index}`} className="visually-hidden">
                            Kind of {label}
                          </label>
                          <select id={`area-kind-${f.index}`} data-testid="area-feature-kind" value={f.kind ?? ''} onChange={(e) => choose(f.index, { kind: e.target.value === 'beat' ? 'beat' : 'district' })}>
                            {f.kind === null && <option value="">Choose</option>}
                            <option value="district">District</option>
                            <option value="beat">Beat</option>
                          </select>
                        </td>
                        <td>
                          <label htmlFor={`area-setting-${f.index}`} className="visually-hidden">
                            Setting of {label}
                          </label>
                          <select id={`area-setting-${f.index}`} data-testid="area-feature-setting" value={f.setting ?? ''} onChange={(e) => choose(f.index, { setting: e.target.value === 'rural' ? 'rural' : 'urban' })}>
                            {f.setting === null && <option value="">Choose</option>}
                            <option value="urban">Urban</option>
                            <option value="rural">Rural</option>
                          </select>
                        </td>
                        <td data-testid="area-preview-result-cell">{f.action ? ACTION_LABELS[f.action] : (f.problem ?? 'Skipped')}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </fieldset>
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
