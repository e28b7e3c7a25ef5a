// When a chat message was sent, as the portal writes a time (formatDateTime, decision 0180): GOV.UK
// style ("5 March 2026 at 3:04pm"), in UK time whatever the reader's clock says, in the reader's
// language. The months' names and the halves of the day ("am,pm", "yb,yh") come from the server with
// the other strings: a browser may know no Welsh dates. Gives a <time> element whose datetime is the ISO time, or null when there is none.
// Served inside chat-widget.js by chat.routes.ts.
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- used by chat-widget.js, into which the server inlines it
function createTimeOf(dateTimeTemplate, monthNames, dayHalves) {
  var months = String(monthNames).split(',');
  var zone = 'Europe/London';
  var dates = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'numeric', year: 'numeric', timeZone: zone });
  var halves = String(dayHalves).split(',');
  var times = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone });
  return function timeOf(iso) {
    var at = typeof iso === 'string' ? new Date(iso) : null;
    if (!at || isNaN(at.getTime())) return null;
    var part = {};
    dates.formatToParts(at).forEach(function (p) { part[p.type] = p.value; });
    var date = Number(part.day) + ' ' + (months[Number(part.month) - 1] || part.month) + ' ' + part.year;
    times.formatToParts(at).forEach(function (p) { part[p.type] = p.value; });
    // GOV.UK style is "3:04pm": a 12-hour clock from 1 to 12, no space.
    var hour = Number(part.hour);
    var time = (hour % 12 || 12) + ':' + part.minute + (hour < 12 ? halves[0] : halves[1]);
    var node = document.createElement('time');
    node.className = 'time';
    node.dateTime = at.toISOString();
    node.textContent = dateTimeTemplate.replace('{date}', function () { return date; }).replace('{time}', function () { return time; });
    return node;
  };
}
