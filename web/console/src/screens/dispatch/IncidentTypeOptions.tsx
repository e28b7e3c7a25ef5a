/** An incident type as a choice offers it: its code, its label and the national category it sits under. */
export type IncidentTypeChoice = { code: string; label: string; categoryLabel: string };

/** The options of an incident type choice, grouped under their national categories in the list's order. */
export function IncidentTypeOptions({ types }: { types: readonly IncidentTypeChoice[] }) {
  const categories = [...new Set(types.map((type) => type.categoryLabel))];
  return (
    <>
      {categories.map((category) => (
        <optgroup key={category} label={category}>
          {types
            .filter((type) => type.categoryLabel === category)
            .map((type) => (
              <option key={type.code} value={type.code}>
                {type.label}
              </option>
            ))}
        </optgroup>
      ))}
    </>
  );
}
