// The widget's words. Every language is one file exporting a complete `Catalog`, so a missing
// phrase is a type error, not an English word in the middle of Portuguese.
export interface LimitsText {
  image: string;
  video: string;
  file: string;
}

export interface Catalog {
  openChat: string;
  closeChat: string;
  defaultTitle: string;
  defaultGreeting: string;
  subtitle: string;
  placeholder: string;
  send: string;
  attach: string;
  dropHere: string;
  limitsHint(limits: LimitsText): string;
  perMessage(count: number): string;
  tooLarge(name: string, max: string): string;
  notAccepted(name: string): string;
  tooMany(count: number): string;
  uploadFailed: string;
  remove: string;
  sending: string;
  sent: string;
  seen: string;
  notSent: string;
  retry: string;
  you: string;
  download: string;
  open: string;
  close: string;
  previous: string;
  next: string;
  imageOf(index: number, total: number): string;
  processing: string;
  unavailable: string;
  loadOlder: string;
  reconnecting: string;
  rateLimited: string;
  genericError: string;
  contactTitle: string;
  contactText: string;
  name: string;
  email: string;
  save: string;
  notNow: string;
  contactThanks(name: string | null): string;
  poweredBy: string;
}
