// Text on the channel's colour: white on dark colours, near-black on light ones (WCAG
// relative luminance), so any brand colour stays readable. Shared with the channel settings.
export { textOn } from '../shared/colour-contrast.js';
