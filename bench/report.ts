/** One line of the bench's table: a figure, what it came to, the floor it is measured against, and their ratio. */
export interface Row {
  figure: string;
  result: string;
  floor: string;
  ratio: number;
  goal: string;
}

/** The table as Markdown, ready for the README's Performance section. */
export function printTable(rows: Row[], machine: string): void {
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}`,
    '',
    '| figure | result | floor in the same run | ratio | goal |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.figure} | ${r.result} | ${r.floor} | ${Number.isFinite(r.ratio) ? r.ratio.toFixed(2) : '—'} | ${r.goal} |`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
