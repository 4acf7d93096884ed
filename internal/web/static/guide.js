// Progressive enhancement of the guide: dependent situation questions
// appear as soon as the answer they depend on is chosen (without this
// script they appear after "生成我的材料清单"), and the print button prints.
(function () {
  var form = document.getElementById('situation-form');
  function chosen(key) {
    var box = document.getElementById('q-' + key);
    if (!box || box.hidden) return '';
    var r = form.querySelector('input[name="situation_' + key + '"]:checked');
    return r ? r.value : '';
  }
  function update() {
    // Questions depend only on earlier ones, so one pass in order settles all.
    form.querySelectorAll('fieldset[data-depends]').forEach(function (box) {
      var dep = box.getAttribute('data-depends').split('=');
      var show = chosen(dep[0]) === dep[1];
      box.hidden = !show;
      box.querySelectorAll('input').forEach(function (i) { i.disabled = !show; });
    });
  }
  if (form) form.addEventListener('change', update);
  document.querySelectorAll('[data-print]').forEach(function (b) {
    b.hidden = false;
    b.addEventListener('click', function () { window.print(); });
  });
})();
