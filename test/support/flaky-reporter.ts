// Names every test that failed and then passed when run again (CI runs each failing test once
// more), so a flaky test is seen and fixed instead of hidden: the names are printed at the end
// of the run and, beside the JSON report, written to `<report>.flaky.txt` for the CI summary.
import { writeFileSync } from 'node:fs';
import type { Reporter, TestCase } from 'vitest/node';

export default class FlakyReporter implements Reporter {
  private readonly flaky: string[] = [];

  onTestCaseResult(testCase: TestCase): void {
    const diagnostic = testCase.diagnostic();
    if (diagnostic?.flaky) {
      this.flaky.push(`${testCase.module.moduleId.replace(`${process.cwd()}/`, '')} > ${testCase.fullName}`);
    }
  }

  onTestRunEnd(): void {
    const report = process.env.VITEST_JSON_REPORT;
    if (report) writeFileSync(`${report}.flaky.txt`, this.flaky.map((name) => `${name}\n`).join(''));
    if (this.flaky.length === 0) return;
    process.stderr.write(`\n${this.flaky.length} test(s) passed only when run again:\n`);
    for (const name of this.flaky) process.stderr.write(`  flaky: ${name}\n`);
  }
}
