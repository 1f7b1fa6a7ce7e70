import fc from 'fast-check';
import { csvCell, csvLines } from '../../../admin/target-users/csv';

/** An RFC 4180 reader, as a spreadsheet reads the file: quoted cells may hold commas, quotes and line breaks. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else cell += c;
  }
  return rows;
}

describe('csv', () => {
  it('writes a value a spreadsheet would run as a formula as text', () => {
    expect(csvCell('=HYPERLINK("http://evil.example","click")')).toBe(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(csvCell('+1 555 0100')).toBe("'+1 555 0100");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1:A2)')).toBe("'@SUM(A1:A2)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
    expect(csvCell('ada@acme.example')).toBe('ada@acme.example');
  });

  it('quotes per RFC 4180', () => {
    expect(csvLines([['a', 'b,c', 'say "hi"', 'two\nlines', null, '']])).toBe('a,"b,c","say ""hi""","two\nlines",,\r\n');
  });

  it('reads back every value, a formula start prefixed with a quote, and no cell a spreadsheet would run', () => {
    const value = fc.oneof(fc.string(), fc.constantFrom('=', '+', '-', '@', '\t', '\r', ',', '"', '\n').chain((c) => fc.string().map((s) => c + s)));
    fc.assert(
      fc.property(fc.array(fc.array(value, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const read = readCsv(csvLines(rows));
        expect(read).toEqual(rows.map((row) => row.map((v) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v))));
        for (const cell of read.flat()) expect(/^[=+\-@\t\r]/.test(cell)).toBe(false);
      }),
    );
  });
});
