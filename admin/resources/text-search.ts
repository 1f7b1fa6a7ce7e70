/** A case-insensitive "contains" condition for typed text: regular-expression characters match themselves. */
export const contains = (text: string) => ({ $regex: text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), $options: 'i' });
