/** Command-line entry point of the converter (`npm run -s cli -- <command>`); heavy modules load lazily. */
import { Command } from 'commander';
import { convertCommand } from './cli/convert-command';

const program = new Command('cli')
  .description('AI SVG Converter: raster logos, icons and word marks to clean SVG')
  .showHelpAfterError()
  .addCommand(convertCommand());

await program.parseAsync(process.argv);
