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

/** Prometheus counters and gauges for `/metrics`, labelled by reasons and routes, never ids. */
export class Metrics {
  private series = new Map<string, Series>();
  private gauges = new Map<string, () => number>();

  /**
   * Series every server has, declared here so the parts that count them need no wiring: the
   * process's memory (the soak test reads it) and what the sync limits act on.
   */
  constructor() {
    this.gauge(
      'varde_process_resident_bytes',
      'Resident memory of the process',
      () => process.memoryUsage().rss,
    );
    this.gauge('varde_process_heap_used_bytes', 'V8 heap in use', () => process.memoryUsage().heapUsed);
    this.gauge('varde_process_heap_total_bytes', 'V8 heap reserved', () => process.memoryUsage().heapTotal);
    this.gauge(
      'varde_process_external_bytes',
      'Memory of buffers outside the V8 heap',
      () => process.memoryUsage().external,
    );
    this.counter('varde_ws_frames_total', 'WebSocket frames received on open connections');
    this.counter('varde_ws_received_bytes_total', 'Bytes of those frames');
    this.counter(
      'varde_updates_refused_total',
      'Updates refused before storing, by reason (docTooLarge, storageFull, refused, lacking, busy)',
    );
    this.counter('varde_presence_deferred_total', 'Times presence over the rate was coalesced and sent late');
  }

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
