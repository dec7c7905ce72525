/**
 * Training progress on stderr: a live bar (loss, images/s, ETA) on a terminal, plain log lines
 * otherwise, so CI logs and pipes stay readable.
 */
import cliProgress from "cli-progress";

export interface Progress {
  start(label: string, total: number): void;
  update(done: number, loss: number, imagesPerSecond: number): void;
  stop(): void;
  log(line: string): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr, quiet = false): Progress {
  if (quiet) return { start() {}, update() {}, stop() {}, log() {} };
  return stream.isTTY ? new BarProgress(stream) : new LineProgress(stream);
}

class BarProgress implements Progress {
  private bar: cliProgress.SingleBar | null = null;
  constructor(private readonly stream: NodeJS.WriteStream) {}

  start(label: string, total: number): void {
    this.bar = new cliProgress.SingleBar(
      {
        stream: this.stream,
        format: `${label} [{bar}] {percentage}% | {value}/{total} batches | loss {loss} | {speed} img/s | ETA {eta_formatted}`,
        barsize: 24,
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(total, 0, { loss: "-", speed: "-" });
  }

  update(done: number, loss: number, imagesPerSecond: number): void {
    this.bar?.update(done, { loss: loss.toFixed(4), speed: Math.round(imagesPerSecond) });
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }

  log(line: string): void {
    this.stream.write(line + "\n");
  }
}

/** Without a terminal: one line per tenth of the epoch. */
class LineProgress implements Progress {
  private label = "";
  private total = 0;
  private nextReport = 0;
  constructor(private readonly stream: NodeJS.WriteStream) {}

  start(label: string, total: number): void {
    this.label = label;
    this.total = total;
    this.nextReport = Math.max(1, Math.ceil(total / 10));
  }

  update(done: number, loss: number, imagesPerSecond: number): void {
    if (done < this.nextReport && done !== this.total) return;
    this.nextReport += Math.max(1, Math.ceil(this.total / 10));
    const pct = Math.round((100 * done) / this.total);
    this.stream.write(`${this.label} ${pct}% (${done}/${this.total} batches) loss ${loss.toFixed(4)} | ${Math.round(imagesPerSecond)} img/s\n`);
  }

  stop(): void {}

  log(line: string): void {
    this.stream.write(line + "\n");
  }
}
