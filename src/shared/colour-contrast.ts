// Colour contrast by WCAG relative luminance: which text colour reads on a brand colour, and
// how well, so the widget stays readable and the settings can warn before it does not.

/** The relative luminance of "#rrggbb" (or "#rgb"), or null for anything else. */
export function luminance(hex: string): number | null {
  const match = /^#([0-9a-f]{6}|[0-9a-f]{3})$/i.exec(hex);
  if (!match?.[1]) return null;
  const digits = match[1].length === 3 ? [...match[1]].map((digit) => digit + digit).join('') : match[1];
  const value = parseInt(digits, 16);
  const channel = (shift: number) => {
    const c = ((value >> shift) & 0xff) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0);
}

/** The contrast ratio of two "#rrggbb" or "#rgb" colours (1 to 21), or null when one is not a colour. */
export function contrastRatio(a: string, b: string): number | null {
  const la = luminance(a);
  const lb = luminance(b);
  if (la === null || lb === null) return null;
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

export const DARK_TEXT = '#111418';

/**
 * The widget's accent colour when the channel sets none. It lives here, in a module without
 * schemas, so that the agent app can use it without bundling the widget API's validators.
 */
export const DEFAULT_WIDGET_COLOR = '#2563eb';

/** Text on the colour: white on dark colours, near-black on light ones, whichever reads better. */
export function textOn(hex: string): string {
  const value = luminance(hex);
  if (value === null) return '#fff';
  // Contrast with white is (1.05)/(L+0.05); with black (L+0.05)/0.05: pick the larger.
  return 1.05 / (value + 0.05) >= (value + 0.05) / 0.05 ? '#fff' : DARK_TEXT;
}
