import fc from 'fast-check';
import { loneSurrogateAt } from '../../../src/scim/unicode';

/** Single code points, astral ones included (two UTF-16 units each). */
const codePoints = fc.array(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), { maxLength: 20 });
const lone = fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff');

describe('loneSurrogateAt', () => {
  it('finds nothing in well-formed text, surrogate pairs included', () => {
    expect(loneSurrogateAt('plain')).toBe(-1);
    expect(loneSurrogateAt('smile \ud83d\ude00 and \u{10ffff}')).toBe(-1);
    fc.assert(fc.property(codePoints, (points) => loneSurrogateAt(points.join('')) === -1));
  });

  it.each([
    ['x\ud800', 1],
    ['\udc00x', 0],
    ['\ud800\ud800\udc00', 0],
    ['\ud800\udc00\udc00', 2],
    ['ab\udfff\ud83d\ude00', 2],
  ])('finds the unpaired surrogate in %j at %i', (text, index) => {
    expect(loneSurrogateAt(text)).toBe(index);
  });

  it('finds a surrogate put alone between any two code points', () => {
    fc.assert(
      fc.property(codePoints, lone, fc.nat(), (points, surrogate, at) => {
        const cut = at % (points.length + 1);
        const before = points.slice(0, cut).join('');
        return loneSurrogateAt(`${before}${surrogate}${points.slice(cut).join('')}`) === before.length;
      }),
    );
  });
});
