// Reads a Prometheus text scrape (GET /metrics) into sample values keyed as printed: `name{label="value",…}`.
export type Samples = Map<string, number>;

export async function scrape(metricsUrl: string): Promise<Samples> {
  const response = await fetch(metricsUrl);
  if (response.status !== 200) throw new Error(`scrape of ${metricsUrl} answered ${response.status}`);
  const samples: Samples = new Map();
  for (const line of (await response.text()).split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const space = line.lastIndexOf(" ");
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return samples;
}

/** How much a sample grew between two scrapes (a sample first seen in `after` grew from 0). */
export const delta = (before: Samples, after: Samples, key: string): number =>
  (after.get(key) ?? 0) - (before.get(key) ?? 0);

/** The key of a sample with labels, in the order the metric declares them. */
export const sample = (name: string, labels: Record<string, string> = {}): string => {
  const pairs = Object.entries(labels).map(([label, value]) => `${label}="${value}"`);
  return pairs.length === 0 ? name : `${name}{${pairs.join(",")}}`;
};
