/**
 * The HTML of the pages a browser sees: the payment method widget, the authorize dialog, the
 * payment review, and the hosted payment page. Plain, labelled "klarna-mock" (no Klarna branding),
 * with stable data-testid attributes for test automation (README, "Front-end tests"):
 *
 *   klarna-mock-approve   approve the payment (dialog, hosted page)
 *   klarna-mock-deny      decline it (dialog) / cancel it (hosted page)
 *   klarna-mock-back      go back to the merchant (hosted page)
 *   klarna-mock-email     the customer's e-mail: a playground e-mail decides the outcome
 *   klarna-mock-category  a payment method category (hosted page: radio buttons)
 */

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** JSON for a <script> block: nothing in it can close the element. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c')

const style = `
  body { font: 15px/1.4 system-ui, sans-serif; margin: 0; padding: 16px; color: #17120f; background: #fff }
  .label { display: inline-block; font-size: 12px; letter-spacing: .04em; text-transform: uppercase; background: #ffe3a3; border-radius: 4px; padding: 2px 6px }
  h1 { font-size: 18px; margin: 8px 0 12px } ul { padding-left: 18px } label { display: block; margin: 8px 0 }
  input[type=email] { width: 100%; box-sizing: border-box; padding: 8px; font: inherit }
  button { font: inherit; padding: 10px 16px; margin: 12px 8px 0 0; border-radius: 6px; border: 1px solid #17120f; background: #fff; cursor: pointer }
  button.primary { background: #17120f; color: #fff } .muted { color: #6b6b6b; font-size: 13px }`

function page(title: string, body: string, script = ''): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style>${style}</style></head><body><span class="label">klarna-mock</span>${body}` +
    `${script === '' ? '' : `<script>${script}</script>`}</body></html>`
  )
}

export interface CategoryView {
  id: string
  name: string
}

/** What load() shows in the merchant's container. */
export function widgetPage(categories: CategoryView[], amount: string): string {
  return page(
    'klarna-mock payment method',
    `<h1>${categories.map((c) => escapeHtml(c.name)).join(', ')}</h1>` +
      `<p data-testid="klarna-mock-widget">${escapeHtml(amount)}: a stand-in for Klarna's payment method widget.</p>` +
      `<p class="muted">${categories.map((c) => `<code>${escapeHtml(c.id)}</code>`).join(' ')}</p>`,
  )
}

/** The authorize dialog: the customer approves or declines; the SDK stand-in gets the decision by postMessage. */
export function authorizePage(
  category: CategoryView,
  amount: string,
  email: string,
  purpose: string,
): string {
  const body =
    `<h1>${escapeHtml(category.name)}</h1><p>${escapeHtml(amount)}</p>` +
    '<label>E-mail (a playground test e-mail decides the outcome)<input type="email" id="email" data-testid="klarna-mock-email" ' +
    `value="${escapeHtml(email)}" autocomplete="off"></label>` +
    `<button class="primary" id="approve" data-testid="klarna-mock-approve">${purpose === 'finalize' ? 'Continue' : 'Approve'}</button>` +
    '<button id="deny" data-testid="klarna-mock-deny">Decline</button>' +
    '<p class="muted">Nothing is charged: this is klarna-mock.</p>'
  const script = `
    function decide (approve) {
      parent.postMessage({ klarnaMock: 'decision', approve: approve, email: document.getElementById('email').value }, '*')
    }
    document.getElementById('approve').addEventListener('click', function () { decide(true) })
    document.getElementById('deny').addEventListener('click', function () { decide(false) })`
  return page('klarna-mock authorization', body, script)
}

export function reviewPage(category: string, amount: string): string {
  return page(
    'klarna-mock payment review',
    `<h1>Payment review</h1><p data-testid="klarna-mock-review">${escapeHtml(category)}: ${escapeHtml(amount)}</p>`,
  )
}

/** The hosted payment page (HPP). `decisionUrl` takes the customer's choice; the answer says where to go. */
export function hostedPage(options: {
  title: string
  amount: string
  categories: CategoryView[]
  email: string
  status: string
  decisionUrl: string
}): string {
  if (options.status !== 'IN_PROGRESS' && options.status !== 'WAITING' && options.status !== 'BACK') {
    return page(
      'klarna-mock payment page',
      `<h1>This payment page is ${escapeHtml(options.status)}</h1>` +
        `<p data-testid="klarna-mock-status">${escapeHtml(options.status)}</p>`,
    )
  }
  const radios = options.categories
    .map(
      (c, i) =>
        `<label><input type="radio" name="category" value="${escapeHtml(c.id)}" ` +
        `data-testid="klarna-mock-category"${i === 0 ? ' checked' : ''}> ${escapeHtml(c.name)}</label>`,
    )
    .join('')
  const body =
    `<h1>${escapeHtml(options.title)}</h1><p>${escapeHtml(options.amount)}</p>${radios}` +
    '<label>E-mail (a playground test e-mail decides the outcome)<input type="email" id="email" data-testid="klarna-mock-email" ' +
    `value="${escapeHtml(options.email)}" autocomplete="off"></label>` +
    '<button class="primary" data-action="approve" data-testid="klarna-mock-approve">Pay</button>' +
    '<button data-action="cancel" data-testid="klarna-mock-deny">Cancel</button>' +
    '<button data-action="back" data-testid="klarna-mock-back">Back to the store</button>' +
    '<p id="result" data-testid="klarna-mock-status" class="muted"></p>'
  const script = `
    var decisionUrl = ${scriptJson(options.decisionUrl)}
    document.querySelectorAll('button[data-action]').forEach(function (button) {
      button.addEventListener('click', function () {
        var picked = document.querySelector('input[name=category]:checked')
        fetch(decisionUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ action: button.getAttribute('data-action'), email: document.getElementById('email').value, payment_method_category: picked ? picked.value : undefined })
        }).then(function (res) { return res.json() }).then(function (answer) {
          if (answer.location) { window.location.href = answer.location; return }
          document.getElementById('result').textContent = answer.status || (answer.error_messages || []).join('; ')
        })
      })
    })`
  return page(options.title, body, script)
}
