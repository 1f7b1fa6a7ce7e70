/** A high surrogate without the low one after it, or a low surrogate without the high one before it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Where the first unpaired UTF-16 surrogate of the text is, or -1. JSON can carry one (`"\ud800"`),
 * but it is no Unicode text: the database keeps U+FFFD in its place in index keys while `data`
 * keeps the escape, so two different userNames would share one unique key.
 */
export function loneSurrogateAt(text: string): number {
  return LONE_SURROGATE.exec(text)?.index ?? -1;
}
