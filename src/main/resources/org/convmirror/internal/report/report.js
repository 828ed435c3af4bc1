// The epoch slider: shows the grids of one epoch at a time. Nothing else on the page needs code.
(function () {
  var slider = document.getElementById('epoch-slider');
  if (!slider) return;
  var epochs = slider.getAttribute('data-epochs').split(',');
  var label = document.getElementById('epoch-label');
  function show() {
    var step = slider.value;
    var images = document.querySelectorAll('img[data-step]');
    for (var i = 0; i < images.length; i++) {
      images[i].hidden = images[i].getAttribute('data-step') !== step;
    }
    label.textContent = epochs[+step];
  }
  slider.addEventListener('input', show);
  slider.addEventListener('change', show);
  show();
})();
