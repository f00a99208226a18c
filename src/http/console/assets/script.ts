/**
 * @module The console's progressive JavaScript, served from /console/assets (the
 * Content-Security-Policy allows no inline script). Every page works without it; with it: copy
 * buttons, confirmation dialogs, typed confirmations, search as you type, live sync progress.
 * Plain browser JavaScript, no build step.
 */
export const SCRIPT = `
(() => {
  'use strict'
  const live = document.getElementById('live-status')
  const say = (text) => { if (live) { live.textContent = ''; setTimeout(() => { live.textContent = text }, 50) } }

  // Copy buttons: <button data-copy="element-id">
  for (const button of document.querySelectorAll('button[data-copy]')) {
    button.hidden = false
    button.addEventListener('click', async () => {
      const source = document.getElementById(button.dataset.copy)
      if (!source) return
      try {
        await navigator.clipboard.writeText(source.textContent.trim())
        const label = button.textContent
        button.textContent = 'Copied'
        say('Copied to the clipboard')
        setTimeout(() => { button.textContent = label }, 2000)
      } catch {
        const range = document.createRange()
        range.selectNodeContents(source)
        const selection = window.getSelection()
        selection.removeAllRanges()
        selection.addRange(range)
        say('Selected: press Ctrl+C to copy')
      }
    })
  }

  // Confirmation dialogs: <form data-confirm="Question?" data-confirm-action="Delete">
  let dialog
  const confirmDialog = (question, action) => new Promise((resolve) => {
    if (!dialog) {
      dialog = document.createElement('dialog')
      dialog.setAttribute('aria-labelledby', 'confirm-text')
      dialog.innerHTML = '<p id="confirm-text"></p><div class="row"><button type="button" class="danger solid" value="yes"></button><button type="button" value="no">Cancel</button></div>'
      document.body.append(dialog)
    }
    dialog.querySelector('#confirm-text').textContent = question
    const [yes, no] = dialog.querySelectorAll('button')
    yes.textContent = action || 'Confirm'
    const done = (answer) => { dialog.close(); yes.onclick = no.onclick = dialog.oncancel = null; resolve(answer) }
    yes.onclick = () => done(true)
    no.onclick = () => done(false)
    dialog.oncancel = () => done(false)
    dialog.showModal()
    no.focus()
  })
  for (const form of document.querySelectorAll('form[data-confirm]')) {
    form.addEventListener('submit', async (event) => {
      if (form.dataset.confirmed === 'yes') return
      event.preventDefault()
      if (await confirmDialog(form.dataset.confirm, form.dataset.confirmAction)) {
        form.dataset.confirmed = 'yes'
        form.requestSubmit(event.submitter || undefined)
      }
    })
  }

  // Typed confirmation: <input data-must-equal="name"> enables its form's submit buttons when equal.
  for (const input of document.querySelectorAll('input[data-must-equal]')) {
    const buttons = input.form ? input.form.querySelectorAll('button[type=submit], button:not([type])') : []
    const update = () => { for (const b of buttons) b.disabled = input.value.trim() !== input.dataset.mustEqual }
    input.addEventListener('input', update)
    update()
  }

  // Forms submit once.
  for (const form of document.querySelectorAll('form')) {
    form.addEventListener('submit', (event) => {
      if (event.defaultPrevented) return
      setTimeout(() => { for (const b of form.querySelectorAll('button')) b.disabled = true }, 0)
    })
  }

  // Search as you type: <input data-live-search> in a GET form; replaces #results.
  for (const input of document.querySelectorAll('input[data-live-search]')) {
    let timer
    let latest = 0
    const refresh = async () => {
      const form = input.form
      const url = new URL(form.action, location.href)
      for (const [k, v] of new FormData(form)) if (v !== '') url.searchParams.set(k, v)
      const ticket = ++latest
      const response = await fetch(url, { headers: { Accept: 'text/html' }, credentials: 'same-origin' })
      if (!response.ok || ticket !== latest) return
      const page = new DOMParser().parseFromString(await response.text(), 'text/html')
      const next = page.getElementById('results')
      const current = document.getElementById('results')
      if (next && current) current.replaceWith(next)
      history.replaceState(null, '', url)
      const count = next && next.dataset.count
      if (count !== undefined) say(count + ' results')
    }
    input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(refresh, 250) })
  }

  // Live sync progress: <section data-progress-url="…"> with a <progress> and [data-progress-text].
  for (const box of document.querySelectorAll('[data-progress-url]')) {
    const bar = box.querySelector('progress')
    const text = box.querySelector('[data-progress-text]')
    const poll = async () => {
      const response = await fetch(box.dataset.progressUrl, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      if (!response.ok) return setTimeout(poll, 5000)
      const state = await response.json()
      if (bar) { bar.max = state.total; bar.value = state.done }
      if (text) text.textContent = state.label
      if (state.finished) { say('Sync finished'); setTimeout(() => location.reload(), 800); return }
      setTimeout(poll, 1500)
    }
    setTimeout(poll, 1000)
  }
})()
`
