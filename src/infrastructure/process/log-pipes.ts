/**
 * Keeps the server alive and quiet when whatever reads its stdout and stderr goes away (a supervisor
 * or a parent process killed, a log pipe closed). Writing a log line then fails with EPIPE; with no
 * listener that error is thrown, Next.js's handler for uncaught errors logs it to the same dead pipe,
 * which fails again: a server found spinning a whole core on that loop, serving nothing else well.
 * With this the lost log lines are all that is lost. Other stream errors still surface.
 */
export function surviveClosedLogPipes(streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    if ((stream as { [GUARDED]?: boolean })[GUARDED]) continue;
    (stream as { [GUARDED]?: boolean })[GUARDED] = true;
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE" || error.code === "ERR_STREAM_DESTROYED") return;
      throw error;
    });
  }
}

const GUARDED = Symbol.for("nextauth-hex:log-pipes-guarded");
