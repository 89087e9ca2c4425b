import { h } from './dom.js';

/** The admin token stays in this tab only (sessionStorage), typed by the user, never in a URL. */
const KEY = 'tokenledger.adminToken';

export function adminToken(): string {
  try {
    return sessionStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

/** A password field that keeps the admin token for this tab, with a button to forget it. */
export function tokenForm(): HTMLElement {
  const input = h('input', { type: 'password', autocomplete: 'off', placeholder: 'admin token', testid: 'admin-token', 'aria-label': 'admin token', value: adminToken() });
  input.addEventListener('input', () => {
    if (input.value === '') sessionStorage.removeItem(KEY);
    else sessionStorage.setItem(KEY, input.value);
  });
  const forget = h(
    'button',
    {
      type: 'button',
      class: 'secondary',
      testid: 'admin-token-forget',
      onclick: () => {
        input.value = '';
        sessionStorage.removeItem(KEY);
      },
    },
    'Forget',
  );
  return h('div', { class: 'inline-form' }, h('label', null, 'Admin token ', input), forget);
}
