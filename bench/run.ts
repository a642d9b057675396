// `npm run bench`: every benchmark prints its figures as ratios against a baseline measured in
// the same run (absolute times drift ±30% on this shared machine; ratios hold to ~±10%).
// `npm run bench -- ui` runs only the suites whose name contains "ui".
import { benchQcow2 } from './qcow2';
import { benchUi } from './ui';
import { benchCompute } from './compute';
import { benchConsole } from './console';
import { benchUiCompute } from './ui-compute';

type Suite = { name: string; run: (report: (line: string) => void) => Promise<void> };

const SUITES: Suite[] = [
  { name: 'ui', run: benchUi },
  { name: 'qcow2', run: benchQcow2 },
  { name: 'compute', run: benchCompute },
  { name: 'console', run: benchConsole },
  { name: 'ui-compute', run: benchUiCompute },
];

const only = process.argv.slice(2);
let failed = false;
for (const suite of SUITES) {
  if (only.length && !only.some((o) => suite.name.includes(o))) continue;
  console.log(`\n== ${suite.name}`);
  try {
    await suite.run((line) => console.log(`  ${line}`));
  } catch (e) {
    failed = true;
    console.log(`  FAILED: ${e instanceof Error ? e.message : String(e)}`);
  }
}
process.exitCode = failed ? 1 : 0;
