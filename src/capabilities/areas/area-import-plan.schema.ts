import type { AreaKind, AreaSetting } from './area-lookup.schema.ts';
import type { BoundaryFeature } from './boundary-file.schema.ts';
import { hasVisibleText } from '../../platform/visible-text.ts';

/**
 * Which area each feature of a boundary file becomes (decision 0098): its name, kind and setting
 * from the admin's choices, else its own properties, else the defaults chosen for the file. Pure.
 */

export type ImportChoices = {
  nameProperty?: string | undefined;
  kind?: AreaKind | undefined;
  setting?: AreaSetting | undefined;
  features?: { index: number; name?: string | undefined; kind?: AreaKind | undefined; setting?: AreaSetting | undefined; skip?: boolean | undefined }[] | undefined;
};

export type PlannedArea = {
  feature: BoundaryFeature;
  name: string | null;
  kind: AreaKind | null;
  setting: AreaSetting | null;
  skip: boolean;
  problem: string | null;
};

const KINDS: Record<string, AreaKind> = { district: 'district', beat: 'beat', neighbourhood: 'beat', ward: 'beat', sector: 'district' };
const SETTINGS: Record<string, AreaSetting> = { urban: 'urban', rural: 'rural' };

/** Each feature with what it will become, or what must be chosen first. */
export function planAreas(features: readonly BoundaryFeature[], choices: ImportChoices): PlannedArea[] {
  const chosen = new Map((choices.features ?? []).map((choice) => [choice.index, choice]));
  const planned = features.map((feature): PlannedArea => {
    const choice = chosen.get(feature.index);
    const name = cleanName(choice?.name ?? nameOf(feature, choices.nameProperty));
    const kind = choice?.kind ?? lookUp(KINDS, feature.properties, 'kind') ?? choices.kind ?? null;
    const setting = choice?.setting ?? lookUp(SETTINGS, feature.properties, 'setting') ?? choices.setting ?? null;
    const skip = choice?.skip === true;
    const missing = [name ? null : 'a name', kind ? null : 'a kind (district or beat)', setting ? null : 'a setting (urban or rural)'].filter((x) => x !== null);
    return { feature, name, kind, setting, skip, problem: skip || missing.length === 0 ? null : `choose ${missing.join(', ')}` };
  });
  const seen = new Map<string, PlannedArea>();
  for (const area of planned) {
    if (area.skip || !area.name || !area.kind) continue;
    const key = `${area.kind}\u0000${area.name.toLowerCase()}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, area);
    else area.problem ??= `feature ${first.feature.index + 1} is also the ${area.kind} ${first.name ?? ''}; rename one or skip it`;
  }
  return planned;
}

function nameOf(feature: BoundaryFeature, nameProperty: string | undefined): string | null {
  if (nameProperty) return feature.properties[nameProperty] ?? null;
  if (feature.name) return feature.name;
  const key = Object.keys(feature.properties).find((k) => k.toLowerCase() === 'name');
  return key ? (feature.properties[key] ?? null) : null;
}

function cleanName(name: string | null): string | null {
  if (name === null) return null;
  // One line, at most 120 characters, as a name typed into the console would be. Controls that
  // reorder the text are dropped (a name typed with them is refused), and a name of invisible
  // characters alone is no name: the admin is asked to choose one.
  const cleaned = name.replace(/\p{Cc}+/gu, ' ').replace(/[\u202A-\u202E\u2066-\u2069]/gu, '').replace(/\s+/g, ' ').trim().slice(0, 120);
  return hasVisibleText(cleaned) ? cleaned : null;
}

function lookUp<T>(values: Record<string, T>, properties: Record<string, string>, key: string): T | null {
  const found = Object.keys(properties).find((k) => k.toLowerCase() === key);
  const value = found ? properties[found]?.trim().toLowerCase() : undefined;
  return value ? (values[value] ?? null) : null;
}
