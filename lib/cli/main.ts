// The package entry: it adds the op and autograd methods to Tensor, which the library uses.
import '../index';
import { runInfo } from './info-command';
import { runPlot } from './plot-command';
import { runTrain } from './train-command';

type Command = { summary: string; run: (args: readonly string[]) => number | Promise<number> };

const commands: Record<string, Command> = {
  info: { summary: 'the version, native build, CPU features, kernel set and threads', run: runInfo },
  train: { summary: 'train a classic model on MNIST or Fashion-MNIST (try: tensorgrad train)', run: runTrain },
  plot: { summary: 'draw the training curves of a history.json as .svg or .png', run: runPlot },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)}${c.summary}`);
  return ['usage: tensorgrad <command> [options]', '', 'commands:', ...lines, '', 'tensorgrad <command> --help for its options'].join('\n');
}

/** The `tensorgrad` command. Resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`tensorgrad: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  return command.run(rest);
}
