/** @jsxImportSource preact */
// After the first message, an optional offer to leave a name and e-mail, so the conversation
// can go on after the page is closed.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Catalog } from '../i18n/index.js';

export function ContactCard({
  t,
  onDone,
}: {
  t: Catalog;
  onDone(details: { name: string; email: string } | null): void;
}): JSX.Element {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  return (
    <form
      class="sb-contact"
      onSubmit={(event) => {
        event.preventDefault();
        onDone({ name: name.trim(), email: email.trim() });
      }}
    >
      <div class="sb-contact-title">{t.contactTitle}</div>
      <div class="sb-contact-text">{t.contactText}</div>
      <div class="sb-contact-fields">
        <input
          class="sb-field"
          type="text"
          autocomplete="name"
          placeholder={t.name}
          aria-label={t.name}
          maxLength={120}
          value={name}
          onInput={(event) => setName(event.currentTarget.value)}
        />
        <input
          class="sb-field"
          type="email"
          autocomplete="email"
          placeholder={t.email}
          aria-label={t.email}
          maxLength={254}
          value={email}
          onInput={(event) => setEmail(event.currentTarget.value)}
        />
      </div>
      <div class="sb-contact-actions">
        <button type="button" class="sb-link" onClick={() => onDone(null)}>
          {t.notNow}
        </button>
        <button type="submit" class="sb-primary" disabled={!name.trim() && !email.trim()}>
          {t.save}
        </button>
      </div>
    </form>
  );
}
