// Part of the chat widget (chat-widget.js): the server puts this function where the widget says.
// The page's quick exit (GOV.UK's Exit this page, or anything the force marks with
// data-bluelamp-chat-keep-clear) must stay visible and clickable while the chat is open, however
// small the screen: the panel starts below it, wherever scrolling has put it.
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- used by chat-widget.js, into which the server inlines it
function createExitKeeper(panel, isOpen) {
  var KEEP_CLEAR = '.govuk-exit-this-page, [data-bluelamp-chat-keep-clear]';
  var clearScheduled = false;

  function keepExitClear() {
    clearScheduled = false;
    if (!isOpen()) return;
    var top = 0;
    Array.prototype.forEach.call(document.querySelectorAll(KEEP_CLEAR), function (node) {
      var rect = node.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0 || rect.bottom <= 0 || rect.top >= window.innerHeight) return;
      top = Math.max(top, Math.ceil(rect.bottom) + 4);
    });
    panel.style.setProperty('--clear-top', top + 'px');
  }

  function scheduleKeepExitClear() {
    if (clearScheduled || !isOpen()) return;
    clearScheduled = true;
    window.requestAnimationFrame(keepExitClear);
  }

  window.addEventListener('scroll', scheduleKeepExitClear, { passive: true });
  window.addEventListener('resize', scheduleKeepExitClear);
  return keepExitClear;
}
