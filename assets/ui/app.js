/*
 * klarna-mock dashboard (/_mock/ui). Plain JavaScript and the DOM, no framework: a handful of
 * tables refreshed by polling the control API once a second (paused while the tab is hidden), so
 * nothing is added to the Klarna endpoints' path. Signed in by the browser's Basic auth prompt;
 * every call is same-origin and carries it.
 */
;(function () {
  'use strict'

  const $ = function (selector) {
    return document.querySelector(selector)
  }
  const state = { merchant: '', base: null, fetchedAt: 0, seen: {}, scenariosLoaded: false, busy: false }
  const POLL_MS = 1000

  function el(tag, attrs, children) {
    const node = document.createElement(tag)
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k]
      else if (k === 'onclick') node.addEventListener('click', attrs[k])
      else node.setAttribute(k, attrs[k])
    })
    ;(children || []).forEach(function (c) {
      if (c != null) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c)
    })
    return node
  }

  function table(testid, headers, rows, empty) {
    if (rows.length === 0) return el('p', { class: 'muted', 'data-testid': testid + '-empty', text: empty })
    return el('table', {}, [
      el('thead', {}, [
        el(
          'tr',
          {},
          headers.map(function (h) {
            return el('th', { scope: 'col', text: h })
          }),
        ),
      ]),
      el('tbody', {}, rows),
    ])
  }

  function cell(content, attrs) {
    return el('td', attrs || {}, [
      content == null
        ? ''
        : typeof content === 'string' || content instanceof Node
          ? content
          : String(content),
    ])
  }

  function stateCell(value, testid) {
    return el('td', {}, [el('span', { class: 'state-' + value, 'data-testid': testid, text: value })])
  }

  function query(extra) {
    const params = []
    if (state.merchant) params.push('merchant=' + encodeURIComponent(state.merchant))
    Object.keys(extra || {}).forEach(function (k) {
      if (extra[k] !== '' && extra[k] != null) params.push(k + '=' + encodeURIComponent(extra[k]))
    })
    return params.length ? '?' + params.join('&') : ''
  }

  function api(method, path, body, extra) {
    return fetch('/_mock' + path + query(extra), {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(function (res) {
      if (res.status === 204) return null
      return res.json().then(function (json) {
        if (!res.ok) throw new Error((json.error_messages || [json.error_code || res.status]).join('; '))
        return json
      })
    })
  }

  function say(text) {
    $('#status').textContent = text
  }

  /** The merchant's virtual now, moving in real time between polls (the clock does too). */
  function virtualNow() {
    return state.base === null ? 0 : state.base + (Date.now() - state.fetchedAt)
  }

  function countdown(expiresAt) {
    const left = Date.parse(expiresAt) - virtualNow()
    if (left <= 0) return 'expired'
    const s = Math.floor(left / 1000)
    const h = Math.floor(s / 3600)
    const m = Math.floor((s % 3600) / 60)
    const pad = function (n) {
      return (n < 10 ? '0' : '') + n
    }
    return (h > 0 ? h + ':' + pad(m) : String(m)) + ':' + pad(s % 60) + ' left'
  }

  function short(id) {
    return el('code', { title: id, text: id })
  }
  function money(amount, currency) {
    return (amount / 100).toFixed(2) + ' ' + currency
  }

  // Authorizations disappear from the state once swept: the page remembers the ones it saw and
  // shows them as expired (past their expiry) or cancelled (gone before it).
  function authorizationRows(list) {
    const present = {}
    list.forEach(function (a) {
      present[a.authorization_token] = true
      state.seen[a.authorization_token] = a
    })
    const all = Object.keys(state.seen)
      .map(function (k) {
        const a = state.seen[k]
        if (present[k]) return a
        const gone = Object.assign({}, a)
        if (gone.state === 'valid') {
          gone.state = Date.parse(a.expires_at) <= virtualNow() ? 'expired' : 'cancelled'
        }
        return gone
      })
      .sort(function (x, y) {
        return Date.parse(y.created_at) - Date.parse(x.created_at)
      })
      .slice(0, 200)
    return all.map(function (a) {
      const live = a.state === 'valid'
      const stateNow = live && Date.parse(a.expires_at) <= virtualNow() ? 'expired' : a.state
      return el('tr', { 'data-testid': 'authorization-row', 'data-token': a.authorization_token }, [
        cell(short(a.authorization_token)),
        stateCell(stateNow, 'authorization-state'),
        cell(
          live
            ? el('span', {
                'data-countdown': a.expires_at,
                'data-testid': 'authorization-countdown',
                text: countdown(a.expires_at),
              })
            : a.expires_at,
        ),
        cell(a.payment_method_category),
        cell(a.outcome),
        cell(a.customer_token ? short(a.customer_token) : a.order_id ? short(a.order_id) : ''),
      ])
    })
  }

  function tokenActions(t) {
    const act = function (status) {
      return el('button', {
        'data-testid': 'token-' + status.toLowerCase(),
        text: { SUSPENDED: 'Suspend', ACTIVE: 'Reinstate', CANCELLED: 'Cancel' }[status],
        onclick: function () {
          api('POST', '/tokens/' + encodeURIComponent(t.token_id) + '/status', { status }).then(
            function () {
              say('token ' + status.toLowerCase())
              refresh()
            },
            function (e) {
              say(e.message)
            },
          )
        },
      })
    }
    if (t.status === 'CANCELLED') return ''
    return el(
      'span',
      { class: 'group' },
      t.status === 'ACTIVE' ? [act('SUSPENDED'), act('CANCELLED')] : [act('ACTIVE'), act('CANCELLED')],
    )
  }

  function renderObjects(o) {
    $('[data-testid=authorizations]').replaceChildren(
      table(
        'authorizations',
        ['Token', 'State', 'Expires', 'Category', 'Outcome', 'Made'],
        authorizationRows(o.authorizations),
        'No authorizations yet.',
      ),
    )
    $('[data-testid=sessions]').replaceChildren(
      table(
        'sessions',
        ['Session', 'State', 'Expires', 'Intent', 'Market', 'Amount'],
        o.sessions.map(function (s) {
          return el('tr', { 'data-testid': 'session-row' }, [
            cell(short(s.session_id)),
            stateCell(s.state, 'session-state'),
            cell(s.expires_at),
            cell(s.intent),
            cell(s.purchase_country),
            cell(money(s.order_amount, s.purchase_currency)),
          ])
        }),
        'No sessions yet.',
      ),
    )
    $('[data-testid=tokens]').replaceChildren(
      table(
        'tokens',
        ['Token', 'Status', 'Payment method', 'Market', 'Description', 'Actions'],
        o.tokens.map(function (t) {
          return el('tr', { 'data-testid': 'token-row', 'data-token': t.token_id }, [
            cell(short(t.token_id)),
            stateCell(t.status, 'token-status'),
            cell(t.payment_method_type),
            cell(t.purchase_country + ' ' + t.purchase_currency),
            cell(t.description),
            el('td', {}, [tokenActions(t)]),
          ])
        }),
        'No customer tokens yet.',
      ),
    )
    $('[data-testid=orders]').replaceChildren(
      table(
        'orders',
        ['Order', 'Status', 'Amount', 'Captured', 'Refunded', 'From'],
        o.orders.map(function (x) {
          const detail =
            x.captures.length + x.refunds.length === 0
              ? ''
              : ' (' + x.captures.length + ' captures, ' + x.refunds.length + ' refunds)'
          return el('tr', { 'data-testid': 'order-row' }, [
            cell(short(x.order_id)),
            stateCell(x.status, 'order-status'),
            cell(money(x.order_amount, x.purchase_currency)),
            cell(money(x.captured_amount, x.purchase_currency) + detail),
            cell(money(x.refunded_amount, x.purchase_currency)),
            cell(x.source),
          ])
        }),
        'No orders yet.',
      ),
    )
    $('[data-testid=hpp]').replaceChildren(
      table(
        'hpp',
        ['HPP session', 'Status', 'Updated', 'Expires'],
        o.hpp.map(function (h) {
          return el('tr', {}, [
            cell(short(h.session_id)),
            stateCell(h.status, 'hpp-status'),
            cell(h.updated_at),
            cell(h.expires_at),
          ])
        }),
        'No HPP sessions yet.',
      ),
    )
    $('#journal-off').hidden = o.journal.enabled
  }

  function pretty(value) {
    if (value == null || value === '') return ''
    return typeof value === 'string' ? value : JSON.stringify(value, null, 2)
  }

  function renderRequests(entries) {
    const cid = $('#f-cid').value.trim()
    const rows = entries
      .filter(function (e) {
        return !cid || e.correlation_id.indexOf(cid) >= 0
      })
      .map(function (e) {
        return el('tr', { 'data-testid': 'request-row' }, [
          cell(e.time),
          cell(e.method + ' ' + e.path),
          stateCell(String(e.status), 'request-status'),
          cell(e.scenario || ''),
          el('td', {}, [
            el('details', {}, [
              el('summary', { text: e.correlation_id }),
              el('h3', { text: 'Request headers' }),
              el('pre', { text: pretty(e.request_headers) }),
              el('h3', { text: 'Request body' }),
              el('pre', { text: pretty(e.request_body) }),
              el('h3', { text: 'Response body' }),
              el('pre', { 'data-testid': 'response-body', text: pretty(e.response_body) }),
            ]),
          ]),
        ])
      })
    // Keep open details open across refreshes: only re-render when something changed.
    const key =
      JSON.stringify(
        entries.map(function (e) {
          return e.correlation_id
        }),
      ) + cid
    if (key === state.requestsKey) return
    state.requestsKey = key
    $('[data-testid=requests]').replaceChildren(
      table(
        'requests',
        ['Time', 'Request', 'Status', 'Scenario', 'Correlation id'],
        rows,
        'No requests recorded.',
      ),
    )
  }

  function renderCallbacks(list) {
    $('[data-testid=callbacks]').replaceChildren(
      table(
        'callbacks',
        ['Kind', 'URL', 'State', 'Attempts', 'Last result', 'Body'],
        list.map(function (c) {
          return el('tr', { 'data-testid': 'callback-row' }, [
            cell(c.kind),
            cell(c.url),
            stateCell(c.state, 'callback-state'),
            cell(c.attempts),
            cell(c.last_result || ''),
            el('td', {}, [el('pre', { text: pretty(c.body) })]),
          ])
        }),
        'No callbacks.',
      ),
    )
  }

  function renderArmed(list) {
    $('[data-testid=armed]').replaceChildren(
      table(
        'armed',
        ['Scenario', 'Remaining', 'Operation', ''],
        list.map(function (a) {
          return el('tr', { 'data-testid': 'armed-row' }, [
            cell(a.name),
            cell(a.remaining),
            cell(a.operation || 'any'),
            el('td', {}, [
              el('button', {
                text: 'Clear',
                onclick: function () {
                  api('DELETE', '/scenarios/arm/' + encodeURIComponent(a.name)).then(refresh, function (e) {
                    say(e.message)
                  })
                },
              }),
            ]),
          ])
        }),
        'Nothing armed.',
      ),
    )
  }

  function renderScenarios(list) {
    $('[data-testid=scenarios]').replaceChildren(
      table(
        'scenarios',
        ['Scenario', 'Answer', 'Applies to', ''],
        list.map(function (s) {
          return el('tr', { 'data-testid': 'scenario-row' }, [
            cell(el('span', { title: s.description, text: s.name })),
            cell(s.status ? s.status + ' ' + (s.error_code || '') : ''),
            cell(s.applies_to.join(', ')),
            el('td', {}, [
              el('button', {
                'data-testid': 'arm-' + s.name,
                text: 'Arm',
                onclick: function () {
                  const times = Number($('#arm-times').value) || 1
                  api('POST', '/scenarios/arm', { name: s.name, times }).then(
                    function () {
                      say(s.name + ' armed')
                      refresh()
                    },
                    function (e) {
                      say(e.message)
                    },
                  )
                },
              }),
            ]),
          ])
        }),
        'No scenarios.',
      ),
    )
  }

  function refresh() {
    // One poll at a time; a change asked for meanwhile (a filter typed) runs right after it.
    if (state.busy) {
      state.again = true
      return Promise.resolve()
    }
    state.busy = true
    state.again = false
    const filters = {
      path: $('#f-path').value.trim(),
      status: /^[1-5][0-9][0-9]$/.test($('#f-status').value.trim()) ? $('#f-status').value.trim() : '',
    }
    return Promise.all([
      api('GET', '/objects'),
      api('GET', '/requests', undefined, filters),
      api('GET', '/callbacks'),
      api('GET', '/scenarios/arm'),
      state.scenariosLoaded ? null : api('GET', '/scenarios'),
    ])
      .then(
        function (r) {
          state.base = Date.parse(r[0].now)
          state.fetchedAt = Date.now()
          if (!state.merchant) {
            state.merchant = r[0].merchant
            // Not over a merchant typed while this first answer was on its way: its change follows.
            if ($('#merchant').value.trim() === '') $('#merchant').value = r[0].merchant
          }
          renderObjects(r[0])
          renderRequests(r[1])
          renderCallbacks(r[2])
          renderArmed(r[3])
          if (r[4]) {
            renderScenarios(r[4])
            state.scenariosLoaded = true
          }
          tick()
        },
        function (e) {
          say(e.message)
        },
      )
      .then(function () {
        state.busy = false
        if (state.again) refresh()
      })
  }

  /** Between polls: the clock and the countdowns move (virtual time runs with real time). */
  function tick() {
    if (state.base === null) return
    $('#now').textContent = new Date(virtualNow()).toISOString()
    document.querySelectorAll('[data-countdown]').forEach(function (node) {
      const text = countdown(node.getAttribute('data-countdown'))
      node.textContent = text
      if (text === 'expired') {
        const row = node.closest('tr')
        const badge = row && row.querySelector('[data-testid=authorization-state]')
        if (badge) {
          badge.textContent = 'expired'
          badge.className = 'state-expired'
        }
      }
    })
  }

  function advance(seconds) {
    if (!(seconds >= 0)) {
      say('Give a number of seconds')
      return
    }
    api('POST', '/clock', { advance_seconds: seconds }).then(
      function (r) {
        say('clock: ' + r.now)
        refresh()
      },
      function (e) {
        say(e.message)
      },
    )
  }

  document.querySelectorAll('[data-advance]').forEach(function (b) {
    b.addEventListener('click', function () {
      advance(Number(b.getAttribute('data-advance')))
    })
  })
  $('#advance-go').addEventListener('click', function () {
    advance(Number($('#advance-custom').value))
  })
  $('#disarm-all').addEventListener('click', function () {
    api('DELETE', '/scenarios/arm').then(refresh, function (e) {
      say(e.message)
    })
  })
  $('#merchant').addEventListener('change', function () {
    state.merchant = $('#merchant').value.trim()
    state.seen = {}
    state.requestsKey = null
    refresh()
  })
  ;['#f-path', '#f-status', '#f-cid'].forEach(function (id) {
    $(id).addEventListener('input', function () {
      refresh()
    })
  })

  refresh()
  setInterval(function () {
    if (!document.hidden) refresh()
  }, POLL_MS)
  setInterval(tick, 250)
})()
