// What an outgoing email is: one recipient, a subject and a plain-text body (no HTML: nothing to inject or render).
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
}
