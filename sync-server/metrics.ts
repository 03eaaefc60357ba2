/** A minimal Prometheus text-format registry: counters and gauges, optionally labelled. */
type Labels = Record<string, string | number>;

interface Series {
  help: string;
  type: 'counter' | 'gauge';
  values: Map<string, number>;
}

function labelKey(labels?: Labels): string {
  if (!labels) return '';
  const parts = Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${String(v).replace(/["\\\n]/g, '_')}"`);
  return `{${parts.join(',')}}`;
}

export class Metrics {
  private series = new Map<string, Series>();
  private gauges = new Map<string, () => number>();

  private get(name: string, type: Series['type'], help: string): Series {
    let s = this.series.get(name);
    if (!s) {
      s = { help, type, values: new Map() };
      this.series.set(name, s);
    }
    return s;
  }

  /** Declares a counter so it shows (as 0) before its first increment. */
  counter(name: string, help: string): void {
    this.get(name, 'counter', help);
  }

  inc(name: string, labels?: Labels, by = 1): void {
    const s = this.series.get(name);
    if (!s) throw new Error(`undeclared metric ${name}`);
    const key = labelKey(labels);
    s.values.set(key, (s.values.get(key) ?? 0) + by);
  }

  /** A gauge read when scraped. */
  gauge(name: string, help: string, read: () => number): void {
    this.get(name, 'gauge', help);
    this.gauges.set(name, read);
  }

  render(): string {
    let out = '';
    for (const [name, s] of this.series) {
      out += `# HELP ${name} ${s.help}\n# TYPE ${name} ${s.type}\n`;
      const read = this.gauges.get(name);
      if (read) out += `${name} ${read()}\n`;
      else if (s.values.size === 0) out += `${name} 0\n`;
      else for (const [key, v] of s.values) out += `${name}${key} ${v}\n`;
    }
    return out;
  }
}
