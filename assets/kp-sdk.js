/*
 * klarna-mock: a stand-in for Klarna's Payments JS SDK (https://x.klarnacdn.net/kp/lib/v1/api.js),
 * served by the mock at /kp/lib/v1/api.js. Same names, arguments, callbacks and errors as Klarna's
 * "Klarna payments SDK reference": Klarna.Payments.init, load, loadPaymentReview, authorize,
 * reauthorize, finalize, on, off; window.klarnaAsyncCallback is called once loaded. Each method
 * takes a callback, and returns a promise of the same result when none is given.
 *
 * The widget and the authorize dialog are pages of the mock in iframes; the mock is found from
 * the client_token alone (its base_url). Nothing here is Klarna's code or design.
 */
;(function () {
  'use strict'

  function makeError(name) {
    function KlarnaMockError(message) {
      this.name = name
      this.message = message || name
      this.stack = new Error(this.message).stack
    }
    KlarnaMockError.prototype = Object.create(Error.prototype)
    KlarnaMockError.prototype.constructor = KlarnaMockError
    return KlarnaMockError
  }

  const errors = {}
  ;[
    'InvalidClientTokenError',
    'ApplicationNotInitializedError',
    'ApplicationNotLoadedError',
    'InvalidContainerSelectorError',
    'PaymentMethodCategoryNotProvidedError',
    'PaymentMethodCategoryNotSupportedError',
    'PreferredPaymentMethodNotSupportedError',
    'OperationNotSupportedError',
    'EventNotSupportedError',
  ].forEach(function (name) {
    errors[name] = makeError(name)
  })

  const state = { token: null, payload: null, loaded: {}, pendingFinalize: {}, handlers: {} }
  const events = ['heightChanged', 'fullscreenOverlayShown', 'fullscreenOverlayHidden']

  function decode(part) {
    const text = atob(part.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((part.length + 3) % 4))
    return JSON.parse(
      decodeURIComponent(
        Array.prototype.map
          .call(text, function (c) {
            return '%' + ('00' + c.charCodeAt(0).toString(16)).slice(-2)
          })
          .join(''),
      ),
    )
  }

  function emit(name, payload) {
    ;(state.handlers[name] || []).slice().forEach(function (fn) {
      try {
        fn(payload)
      } catch (e) {}
    })
  }

  function query(params) {
    return Object.keys(params)
      .filter(function (k) {
        return params[k] !== undefined
      })
      .map(function (k) {
        return encodeURIComponent(k) + '=' + encodeURIComponent(params[k])
      })
      .join('&')
  }

  function pageUrl(path, params) {
    return (
      state.payload.base_url +
      path +
      '?' +
      query(Object.assign({ client_token: state.token, m: state.payload.merchant }, params))
    )
  }

  /** Runs a method: with a callback, calls it; without, returns a promise. */
  function finish(callback, result) {
    if (typeof callback === 'function') {
      callback(result)
      return undefined
    }
    return Promise.resolve(result)
  }

  function resolveContainer(container) {
    let element = container
    if (typeof container === 'string') {
      try {
        element = document.querySelector(container)
      } catch (e) {
        element = null
      }
    }
    if (!(element instanceof HTMLElement)) {
      throw new errors.InvalidContainerSelectorError(
        'options.container is neither an HTML element nor a valid CSS selector',
      )
    }
    return element
  }

  function categoriesOf(options) {
    if (options && typeof options.payment_method_category === 'string') {
      return [options.payment_method_category]
    }
    if (options && Array.isArray(options.payment_method_categories)) return options.payment_method_categories
    return null
  }

  function requireInit() {
    if (state.token === null) {
      throw new errors.ApplicationNotInitializedError('Klarna.Payments.init() was not called')
    }
  }

  /**
   * What authorize(), reauthorize() and finalize() share: `data` may be left out (the callback comes
   * second), init() must have run, a category must be named, and (except for reauthorize) loaded.
   */
  function callOf(method, options, data, callback, mustBeLoaded) {
    if (typeof data === 'function') {
      callback = data
      data = undefined
    }
    requireInit()
    const categories = categoriesOf(options)
    if (categories === null) {
      throw new errors.PaymentMethodCategoryNotProvidedError('options.payment_method_category is required')
    }
    const category = categories[0]
    if (mustBeLoaded && !state.loaded[category]) {
      throw new errors.ApplicationNotLoadedError(method + '() was called before load() for ' + category)
    }
    return { category, data, callback }
  }

  /** Posts to the mock (authorizations are made server-side, as the customer's confirmation). */
  function post(path, body) {
    return fetch(state.payload.base_url + path + '?' + query({ m: state.payload.merchant }), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(Object.assign({ client_token: state.token }, body)),
    }).then(
      function (res) {
        return res.json()
      },
      function () {
        return { approved: false, show_form: false }
      },
    )
  }

  /** Opens the authorize dialog (a page of the mock in an overlay); resolves with what the customer did. */
  function dialog(category, data, purpose) {
    return new Promise(function (resolve) {
      const overlay = document.createElement('div')
      overlay.setAttribute('data-testid', 'klarna-mock-overlay')
      overlay.style.cssText =
        'position:fixed;inset:0;z-index:2147483647;background:rgba(0,0,0,.45);display:flex;align-items:center;justify-content:center'
      const frame = document.createElement('iframe')
      frame.title = 'klarna-mock authorization'
      frame.name = 'klarna-mock-authorize'
      frame.style.cssText =
        'width:420px;max-width:95vw;height:520px;border:0;border-radius:12px;background:#fff'
      const email = (data && data.billing_address && data.billing_address.email) || ''
      frame.src = pageUrl('/_mock/widget/authorize', {
        category,
        email: email || undefined,
        purpose,
      })
      overlay.appendChild(frame)
      function onMessage(event) {
        if (event.source !== frame.contentWindow || !event.data || event.data.klarnaMock !== 'decision') {
          return
        }
        window.removeEventListener('message', onMessage)
        document.body.removeChild(overlay)
        emit('fullscreenOverlayHidden')
        resolve(event.data)
      }
      window.addEventListener('message', onMessage)
      document.body.appendChild(overlay)
      emit('fullscreenOverlayShown')
    })
  }

  function authorizeWith(category, data, decision) {
    if (!decision.approve) return Promise.resolve({ approved: false, show_form: true })
    const body = Object.assign({}, data || {}, { payment_method_category: category })
    if (decision.email) {
      body.billing_address = Object.assign({}, body.billing_address, { email: decision.email })
    }
    return post('/_mock/widget/authorize', body)
  }

  const Payments = {
    init: function (options) {
      const token = options && options.client_token
      const parts = typeof token === 'string' ? token.split('.') : []
      let payload = null
      if (parts.length === 3) {
        try {
          payload = decode(parts[1])
        } catch (e) {
          payload = null
        }
      }
      if (!payload || typeof payload.session_id !== 'string' || typeof payload.base_url !== 'string') {
        throw new errors.InvalidClientTokenError('options.client_token is not a valid JSON Web Token')
      }
      state.token = token
      state.payload = payload
      state.loaded = {}
      state.pendingFinalize = {}
    },

    load: function (options, data, callback) {
      if (typeof data === 'function') {
        callback = data
        data = undefined
      }
      requireInit()
      const categories = categoriesOf(options)
      if (!options || options.container === undefined) {
        throw new errors.ApplicationNotInitializedError('load() needs options with a container')
      }
      const container = resolveContainer(options.container)
      if (categories === null) {
        throw new errors.PaymentMethodCategoryNotProvidedError('options.payment_method_category is required')
      }
      if (
        options.preferred_payment_method !== undefined &&
        typeof options.preferred_payment_method !== 'string'
      ) {
        throw new errors.PreferredPaymentMethodNotSupportedError(
          'options.preferred_payment_method is not supported',
        )
      }
      const frame = document.createElement('iframe')
      frame.title = 'klarna-mock payment method'
      frame.setAttribute('data-testid', 'klarna-mock-widget-frame')
      frame.style.cssText = 'width:100%;height:150px;border:0'
      frame.src = pageUrl('/_mock/widget', { category: categories.join(',') })
      container.innerHTML = ''
      container.appendChild(frame)
      categories.forEach(function (c) {
        state.loaded[c] = true
      })
      const result = { show_form: true }
      return new Promise(function (resolve) {
        frame.addEventListener('load', function () {
          emit('heightChanged', 150)
          resolve(finish(callback, result))
        })
      })
    },

    loadPaymentReview: function (options, callback) {
      requireInit()
      if (!options || options.container === undefined) {
        throw new errors.ApplicationNotInitializedError('loadPaymentReview() needs options with a container')
      }
      const container = resolveContainer(options.container)
      if (state.payload.purchase_country !== 'US') {
        throw new errors.OperationNotSupportedError(
          'loadPaymentReview() is only supported for purchases in the US',
        )
      }
      const frame = document.createElement('iframe')
      frame.title = 'klarna-mock payment review'
      frame.setAttribute('data-testid', 'klarna-mock-review-frame')
      frame.style.cssText = 'width:100%;height:120px;border:0'
      frame.src = pageUrl('/_mock/widget/review', {})
      container.innerHTML = ''
      container.appendChild(frame)
      return finish(callback, { show_form: true })
    },

    authorize: function (options, givenData, givenCallback) {
      const { category, data, callback } = callOf('authorize', options, givenData, givenCallback, true)
      const twoStep = options.auto_finalize === false
      return dialog(category, data, twoStep ? 'finalize' : 'authorize').then(function (decision) {
        if (twoStep && decision.approve) {
          state.pendingFinalize[category] = { data, decision }
          return finish(callback, { approved: true, show_form: true, finalize_required: true })
        }
        return authorizeWith(category, data, decision).then(function (result) {
          return finish(callback, result)
        })
      })
    },

    reauthorize: function (options, givenData, givenCallback) {
      const { category, data, callback } = callOf('reauthorize', options, givenData, givenCallback, false)
      return authorizeWith(category, data, { approve: true }).then(function (result) {
        return finish(callback, {
          approved: result.approved === true,
          authorization_token: result.authorization_token,
          show_form: result.show_form,
        })
      })
    },

    finalize: function (options, givenData, givenCallback) {
      const { category, data, callback } = callOf('finalize', options, givenData, givenCallback, true)
      const pending = state.pendingFinalize[category]
      if (!pending) return finish(callback, { approved: false, show_form: false })
      delete state.pendingFinalize[category]
      return authorizeWith(category, Object.assign({}, pending.data, data), pending.decision).then(
        function (result) {
          return finish(callback, result)
        },
      )
    },

    on: function (eventName, handler) {
      if (events.indexOf(eventName) < 0) {
        throw new errors.EventNotSupportedError('Unsupported event: ' + eventName)
      }
      ;(state.handlers[eventName] = state.handlers[eventName] || []).push(handler)
    },

    off: function (eventName, handler) {
      if (!state.handlers[eventName]) return
      state.handlers[eventName] =
        handler === undefined
          ? []
          : state.handlers[eventName].filter(function (h) {
              return h !== handler
            })
    },
  }

  Object.keys(errors).forEach(function (name) {
    Payments[name] = errors[name]
  })
  window.Klarna = window.Klarna || {}
  window.Klarna.Payments = Payments
  if (typeof window.klarnaAsyncCallback === 'function') {
    setTimeout(function () {
      window.klarnaAsyncCallback()
    }, 0)
  }
})()
