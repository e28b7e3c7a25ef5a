/** The value of one sample in Prometheus text, or null when the series is absent. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const isMatch = Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`));
    if (isMatch) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return null;
}
