import { commandOf, explainedFailure, runCli, wantsHelp } from './cli-commands.ts';
import { loadConfig } from './platform/config/config.ts';

// The `bluelamp` process: runs the command its arguments name with this process's settings, and
// exits with the command's exit code. `start` runs the server here and keeps the process running;
// every other command is `runCli` (src/cli-commands.ts), which also writes `--help`.

const argv = process.argv.slice(2);
const io = { out: (line: string) => process.stdout.write(`${line}\n`), err: (line: string) => process.stderr.write(`${line}\n`) };

async function run(): Promise<number> {
  const [command, rest] = commandOf(argv);
  if (command !== 'start' || wantsHelp(argv)) return runCli(argv, process.env, io);
  // A bad setting is reported before the product is loaded (startProcess reads the settings again).
  loadConfig(process.env, rest);
  const { startProcess } = await import('./main.ts');
  await startProcess(process.env, rest);
  return -1; // keep running
}

run().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    const failure = explainedFailure(error, argv);
    if (failure) {
      io.err(failure.message);
      process.exit(failure.code);
    }
    io.err(`Bluelamp failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
