// Campaign Portal behaviour that htmx does not cover. Loaded as a file so
// the Content-Security-Policy can forbid inline script.
(function () {
  "use strict";

  // Rows that save as the seller types (the price table) carry
  // data-morph. Their answer is merged into the row on screen with
  // Idiomorph instead of replacing it, so the field being typed in keeps its
  // node, value, focus, caret and selection; a cell whose field changed
  // since the request left is not touched at all (that answer is already
  // stale for it: the request queued behind this one, hx-sync "queue
  // last", carries the new value and brings its answer). Bulk-selection
  // checkboxes stay as the seller left them.
  document.addEventListener("htmx:configRequest", function (e) {
    var target = e.detail.target;
    if (!target || !target.hasAttribute || !target.hasAttribute("data-morph")) return;
    target.querySelectorAll("input, select").forEach(function (el) {
      if (el.name && el.type !== "checkbox") el.setAttribute("data-sent", el.value);
    });
  });
  function changedSinceSent(cell) {
    return Array.prototype.some.call(cell.querySelectorAll("input[data-sent], select[data-sent]"), function (el) {
      return el.value !== el.getAttribute("data-sent");
    });
  }
  document.addEventListener("htmx:beforeSwap", function (e) {
    var target = e.detail.target;
    if (!e.detail.shouldSwap || !target || !target.hasAttribute || !target.hasAttribute("data-morph")) return;
    if (typeof Idiomorph === "undefined") return; // plain swap
    var tpl = document.createElement("template");
    tpl.innerHTML = e.detail.serverResponse;
    var fresh = tpl.content.firstElementChild;
    if (!fresh || fresh.id !== target.id) return; // not this row's answer: let htmx swap it
    e.detail.shouldSwap = false;
    Idiomorph.morph(target, fresh, {
      morphStyle: "outerHTML",
      ignoreActiveValue: true,
      restoreFocus: true,
      callbacks: {
        beforeNodeMorphed: function (old) {
          if (old.nodeType !== 1) return true;
          if (old.matches("input[type=checkbox]")) return false;
          if (old.matches("td, th") && changedSinceSent(old)) return false;
          return true;
        },
        beforeAttributeUpdated: function (name) { return name !== "data-sent"; },
        // Only new nodes are handed to htmx: processing the row again
        // would reset its request queue and drop the queued request.
        afterNodeAdded: function (node) { if (node.nodeType === 1) htmx.process(node); }
      }
    });
    target.querySelectorAll("[data-sent]").forEach(function (el) {
      if (el.value === el.getAttribute("data-sent")) el.removeAttribute("data-sent");
    });
  });

  // An answer that is not merged (a refusal htmx does not swap, a lost
  // connection) leaves nothing waiting.
  document.addEventListener("htmx:afterRequest", function (e) {
    var target = e.detail.target;
    if (e.detail.successful || !target || !target.hasAttribute || !target.hasAttribute("data-morph")) return;
    target.querySelectorAll("[data-sent]").forEach(function (el) { el.removeAttribute("data-sent"); });
  });

  // Forms that act on the rows (submit, bulk actions) carry
  // data-after-saves: sent only once every row's save is answered, so a
  // price typed just before clicking Submit is in what is submitted. (The
  // click's blur sends the row first; the form waits for its answer.)
  function pendingSaves() {
    return document.querySelectorAll("[data-morph].htmx-request, [data-morph] .htmx-request, [data-morph] [data-sent]").length;
  }
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.hasAttribute || !form.hasAttribute("data-after-saves") || pendingSaves() === 0) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    var submitter = e.submitter;
    var confirmed = form._confirmed; // already confirmed (data-confirm-title, below): not asked again
    var gaveUp = Date.now() + 15000;
    form.setAttribute("aria-busy", "true");
    (function wait() {
      if (pendingSaves() > 0 && Date.now() < gaveUp) { setTimeout(wait, 50); return; }
      form.removeAttribute("aria-busy");
      form._confirmed = confirmed;
      form.requestSubmit(submitter);
      form._confirmed = false;
    })();
  }, true);

  // Deadline countdowns: the server renders the text; this keeps it current
  // while the page stays open.
  function formatLeft(ms) {
    if (ms <= 0) return "closed";
    var mins = Math.floor(ms / 60000);
    var days = Math.floor(mins / 1440);
    var hours = Math.floor((mins % 1440) / 60);
    var m = mins % 60;
    if (days > 0) return days + "d " + hours + "h left";
    if (hours > 0) return hours + "h " + m + "m left";
    return Math.max(m, 1) + "m left";
  }
  function tick(root) {
    var now = Date.now();
    (root || document).querySelectorAll("[data-countdown]").forEach(function (el) {
      var until = Date.parse(el.getAttribute("data-countdown"));
      if (isNaN(until)) return;
      var left = until - now;
      el.textContent = formatLeft(left);
      el.classList.toggle("soon", left > 0 && left < 48 * 3600 * 1000);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    tick();
    setInterval(tick, 30000);
  });
  document.addEventListener("htmx:afterSettle", function (e) { tick(e.target); });

  // A failed htmx request (network down, server error) says so instead of
  // silently doing nothing.
  function toast(msg) {
    var el = document.getElementById("toast");
    if (!el) return;
    el.textContent = msg;
    el.hidden = false;
    clearTimeout(el._timer);
    el._timer = setTimeout(function () { el.hidden = true; }, 6000);
  }
  // The toast says what the server said (its error fragment) when it said
  // something; a form re-rendered with a refusal (X-Portal-Swap) is shown in
  // place whatever its status.
  document.addEventListener("htmx:beforeSwap", function (e) {
    var xhr = e.detail.xhr;
    if (xhr && xhr.getResponseHeader("X-Portal-Swap")) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });
  function serverMessage(xhr) {
    if (!xhr || !xhr.responseText) return "";
    var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
    var el = doc.querySelector("[data-testid=error-fragment], [data-testid=error-message]");
    return el ? el.textContent.replace(/\s+/g, " ").trim() : "";
  }
  document.addEventListener("htmx:responseError", function (e) {
    var status = e.detail.xhr ? e.detail.xhr.status : 0;
    if (status === 401) { window.location.href = "/login"; return; }
    var said = status < 500 ? serverMessage(e.detail.xhr) : "";
    toast(said || (status === 403 ? "You are not allowed to do that." : "Something went wrong. Please try again."));
  });
  document.addEventListener("htmx:sendError", function () {
    toast("The portal could not be reached. Check your connection and try again.");
  });

  // A select that submits its form when changed: data-autosubmit.
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) el.form.requestSubmit();
  });

  // Forms that need a second thought ask in an in-page dialog, built from
  // <template id="confirm-dialog"> (views/layout.templ). The form, or the
  // button that submits it (which wins), carries:
  //   data-confirm-title, data-confirm-body  the question and what follows;
  //     "{n}" in them is the count below;
  //   data-confirm-title-one, data-confirm-body-one  the wording for a count of 1;
  //   data-confirm-action  the Confirm button's label (default "Confirm");
  //   data-confirm-tone="primary"  for a step that destroys nothing (red otherwise);
  //   data-confirm-count="name"  the count is the ticked checkboxes of the
  //     form named so (form="…" ones included); none ticked asks nothing
  //     and lets the server say what is missing;
  //   data-confirm-n="17"  a count the server rendered;
  //   data-confirm-when="field=value"  ask only when that field has it.
  // A checked control of the form (a scope radio) carrying data-confirm-count
  // or data-confirm-n gives the count instead. Confirm submits again with
  // the same submitter, marked so it is not asked twice; Cancel and Escape
  // change nothing.
  function confirmAttr(form, submitter, name) {
    if (submitter && submitter.hasAttribute(name)) return submitter.getAttribute(name);
    return form.getAttribute(name);
  }
  function confirmCount(form, submitter) {
    var from = Array.prototype.find.call(form.elements, function (el) {
      return el.checked && (el.hasAttribute("data-confirm-count") || el.hasAttribute("data-confirm-n"));
    }) || (submitter && (submitter.hasAttribute("data-confirm-count") || submitter.hasAttribute("data-confirm-n")) ? submitter : form);
    if (from.hasAttribute("data-confirm-n")) return parseInt(from.getAttribute("data-confirm-n"), 10);
    var name = from.getAttribute("data-confirm-count");
    if (!name) return null;
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name === name && el.type === "checkbox" && el.checked;
    }).length;
  }
  function confirmWanted(form, submitter) {
    if (!confirmAttr(form, submitter, "data-confirm-title")) return false;
    var when = confirmAttr(form, submitter, "data-confirm-when");
    if (!when) return true;
    var i = when.indexOf("=");
    var field = form.elements.namedItem(when.slice(0, i));
    return field !== null && field.value === when.slice(i + 1);
  }
  function askToConfirm(form, submitter, n) {
    var tpl = document.getElementById("confirm-dialog");
    if (!tpl) {
      console.error("data-confirm-title on a page without <template id=confirm-dialog>");
      return;
    }
    var one = n === 1;
    function wording(name) {
      var text = (one && confirmAttr(form, submitter, name + "-one")) || confirmAttr(form, submitter, name) || "";
      return n === null ? text : text.split("{n}").join(String(n));
    }
    var d = tpl.content.firstElementChild.cloneNode(true);
    d.querySelector("[data-confirm-slot=title]").textContent = wording("data-confirm-title");
    d.querySelector("[data-confirm-slot=body]").textContent = wording("data-confirm-body");
    var ok = d.querySelector("[data-confirm-ok]");
    ok.textContent = confirmAttr(form, submitter, "data-confirm-action") || "Confirm";
    if (confirmAttr(form, submitter, "data-confirm-tone") === "primary") ok.className = "btn btn-primary";
    ok.addEventListener("click", function () { d.close("confirm"); });
    d.querySelector("[data-confirm-cancel]").addEventListener("click", function () { d.close(); });
    d.addEventListener("close", function () {
      d.remove();
      if (d.returnValue === "confirm" && form.isConnected) {
        // requestSubmit dispatches at once: the flag is for that submit only
        // (one refused by the browser's validation leaves nothing confirmed).
        form._confirmed = true;
        // A consequence acknowledged in the dialog: fields that carry it
        // (data-confirmed-value) take their value only now.
        form.querySelectorAll("input[data-confirmed-value]").forEach(function (el) {
          el.value = el.getAttribute("data-confirmed-value");
        });
        if (submitter && submitter.isConnected && submitter.form === form) form.requestSubmit(submitter);
        else form.requestSubmit();
        form._confirmed = false;
      } else if (submitter && submitter.isConnected) {
        submitter.focus();
      }
    });
    document.body.appendChild(d);
    d.showModal();
    d.querySelector("[data-confirm-cancel]").focus();
  }
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.getAttribute) return;
    if (form._confirmed) {
      form._confirmed = false;
      return;
    }
    var submitter = e.submitter || null;
    if (!confirmWanted(form, submitter)) return;
    var n = confirmCount(form, submitter);
    if (n === 0) return; // nothing ticked: the server says what is missing
    e.preventDefault();
    e.stopImmediatePropagation();
    askToConfirm(form, submitter, n);
  }, true);

  // Pop-ups: htmx loads a <dialog data-open-modal> into #modal; open it as
  // a modal (focus trapped, Escape closes) and tidy up when it closes.
  document.addEventListener("htmx:afterSwap", function (e) {
    var d = e.target.querySelector && e.target.querySelector("dialog[data-open-modal]");
    if (d && !d.open) {
      d.addEventListener("close", function () { d.remove(); });
      d.showModal();
    }
  });
  document.addEventListener("click", function (e) {
    var c = e.target.closest && e.target.closest("[data-close-modal]");
    if (c) {
      var d = c.closest("dialog");
      if (d) d.close();
    }
  });

  // What the reader must see first after an answer (a form's error
  // summary, the change list asked about before publishing) carries
  // data-focus-here: focus moves to it and it scrolls into view, whether it
  // came in a full page or an htmx swap. Each element is focused once.
  function focusHere() {
    var el = document.querySelector("[data-focus-here]:not([data-focused])");
    if (!el) return;
    el.setAttribute("data-focused", "");
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: "start" });
  }
  document.addEventListener("DOMContentLoaded", focusHere);
  document.addEventListener("htmx:afterSettle", focusHere);
  // A summary's link to a field focuses the field (a plain #anchor only
  // scrolls), centred so its label and message show.
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest(".error-summary a[href^='#']");
    if (!a) return;
    var field = document.getElementById(a.getAttribute("href").slice(1));
    if (!field) return;
    e.preventDefault();
    field.focus({ preventScroll: true });
    field.scrollIntoView({ block: "center" });
  });
  // data-dismiss removes the enclosing [data-dismissable] (Keep editing)
  // and gives the focus back to the form's submit button.
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("[data-dismiss]");
    if (!b) return;
    var box = b.closest("[data-dismissable]");
    if (!box) return;
    var form = box.closest("form");
    box.remove();
    var submit = form && form.querySelector("[type=submit]");
    if (submit) submit.focus();
  });

  // Repeated form rows (sub-campaigns, coupons): add from a <template>,
  // remove with a button. New rows get unique ids so labels stay tied.
  var newRows = 0;
  document.addEventListener("click", function (e) {
    var add = e.target.closest && e.target.closest("[data-add-row]");
    if (add) {
      var tpl = document.getElementById(add.getAttribute("data-add-row"));
      var to = document.getElementById(add.getAttribute("data-to"));
      if (!tpl || !to) return;
      var frag = tpl.content.cloneNode(true);
      newRows++;
      frag.querySelectorAll("input, select, textarea").forEach(function (el, i) {
        var id = "new-" + newRows + "-" + (el.name || "field") + "-" + i;
        var label = el.previousElementSibling;
        if (label && label.tagName === "LABEL") label.setAttribute("for", id);
        el.id = id;
      });
      var first = frag.querySelector("input, select");
      to.appendChild(frag);
      if (first) first.focus();
      return;
    }
    var remove = e.target.closest && e.target.closest("[data-remove-row]");
    if (remove) {
      var row = remove.closest("[data-row]");
      if (row) row.remove();
    }
  });
  // Reviewer keyboard: work the queue and the review page without a mouse
  // (views/review.templ lists the keys in the "?" overlay). Keys typed in a
  // field are the field's, except Escape, which goes back to the products.
  function typing(el) {
    return el && (el.tagName === "INPUT" && el.type !== "radio" && el.type !== "checkbox" ||
      el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
  }
  function current(items) {
    var a = document.activeElement;
    for (var i = 0; i < items.length; i++) {
      if (items[i] === a || items[i].contains(a)) return i;
    }
    return -1;
  }
  function focusItem(items, i) {
    if (!items.length) return;
    i = Math.max(0, Math.min(items.length - 1, i));
    items.forEach(function (el) { el.classList.remove("key-current"); });
    items[i].classList.add("key-current");
    items[i].focus();
    items[i].scrollIntoView({ block: "nearest" });
  }
  function choose(item, decision) {
    var radio = item.querySelector('input[type=radio][value="' + decision + '"]');
    if (!radio) return;
    radio.checked = true;
    item.setAttribute("data-decision", decision);
  }
  document.addEventListener("change", function (e) {
    var item = e.target.closest && e.target.closest("[data-testid=decide-product]");
    if (item && e.target.type === "radio") item.setAttribute("data-decision", e.target.value);
    // Rejecting a SKU registers the product's other SKUs: the product is
    // approved unless the reviewer chose otherwise.
    if (item && e.target.matches("[data-testid=reject-sku]") && e.target.checked &&
      !item.querySelector("input[type=radio]:checked")) choose(item, "approved");
  });
  document.addEventListener("click", function (e) {
    var rest = e.target.closest && e.target.closest("[data-approve-rest]");
    if (rest) {
      document.querySelectorAll("[data-testid=decide-product]").forEach(function (item) {
        if (!item.querySelector("input[type=radio]:checked")) choose(item, "approved");
      });
    }
    var help = e.target.closest && e.target.closest("[data-key-help]");
    if (help) openHelp();
  });
  function openHelp() {
    var d = document.getElementById("review-keys-help");
    if (d && !d.open) d.showModal();
  }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (!document.querySelector("[data-review-keys]")) return;
    var a = document.activeElement;
    var products = Array.prototype.slice.call(document.querySelectorAll("[data-testid=decide-product]"));
    var rows = Array.prototype.slice.call(document.querySelectorAll("[data-testid=queue-row]"));
    if (e.key === "Escape" && typing(a)) {
      var back = a.closest("[data-testid=decide-product]");
      if (back) { e.preventDefault(); focusItem(products, products.indexOf(back)); }
      return;
    }
    if (typing(a) || document.querySelector("dialog[open]")) return;
    var items = products.length ? products : rows;
    var i = current(items);
    var link;
    switch (e.key) {
      case "?":
        openHelp();
        break;
      case "j":
        focusItem(items, i + 1);
        break;
      case "k":
        focusItem(items, i < 0 ? 0 : i - 1);
        break;
      case "a":
        if (!products.length || i < 0) return;
        choose(products[i], "approved");
        focusItem(products, i + 1);
        break;
      case "A":
        var rest = document.querySelector("[data-approve-rest]");
        if (rest) rest.click();
        break;
      case "r":
        if (!products.length || i < 0) return;
        choose(products[i], "rejected");
        var sel = products[i].querySelector("[data-reject-fields] select");
        if (sel) sel.focus();
        break;
      case "s":
        var submit = document.querySelector("[data-key-submit]");
        if (!submit) return;
        submit.form.requestSubmit(submit);
        break;
      case "x":
        // On a registration: go to the current product's SKU Reject boxes
        // (Space ticks one). In the queue: tick the current row.
        if (products.length) {
          if (i < 0) return;
          var skuBox = products[i].querySelector("input[data-testid=reject-sku]");
          if (skuBox) { e.preventDefault(); skuBox.focus(); }
          return;
        }
        if (!rows.length || i < 0) return;
        var box = rows[i].querySelector("input[type=checkbox]");
        if (box) box.click();
        break;
      case "Enter":
        if (!rows.length || i < 0 || a !== rows[i]) return;
        link = rows[i].querySelector("a[href]");
        if (link) link.click();
        break;
      case "n":
      case "p":
        link = document.querySelector(e.key === "n" ? "[data-key-next]" : "[data-key-prev]");
        if (!link) return;
        link.click();
        break;
      default:
        return;
    }
    e.preventDefault();
  });

  // One-click fixes (data-fix-target, data-fix-value): the rule's value goes
  // into the field and its change event fires, so it is saved by the
  // field's own hx-post (CSRF header, server checks, 422), like typing.
  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest("[data-fix-target]");
    if (!btn) return;
    var field = document.getElementById(btn.getAttribute("data-fix-target"));
    if (!field) return;
    field.value = btn.getAttribute("data-fix-value");
    field.dispatchEvent(new Event("change", { bubbles: true }));
    field.focus();
    // A form saved by its submit button (the Edit pop-up) is submitted.
    if (btn.hasAttribute("data-fix-submit") && field.form) field.form.requestSubmit();
  });

  // The simulator panel opened from a row: bring it into view.
  document.addEventListener("htmx:afterSwap", function (e) {
    var el = e.detail && e.detail.requestConfig && e.detail.requestConfig.elt;
    if (el && el.hasAttribute && el.hasAttribute("data-sim-open")) {
      var panel = document.getElementById("sim-panel");
      if (panel) panel.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
  });
})();
