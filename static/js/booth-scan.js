// Booth check-in (SOP 5.3.3): read the invitation's QR code with the phone camera where
// the browser has BarcodeDetector; the code goes into the form, the server decides.
(function () {
  "use strict";
  const start = document.getElementById("scan-start");
  if (!start) return;
  const video = document.getElementById("scan-video");
  const input = document.getElementById("id_code");
  const form = input && input.form;
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) {
    start.hidden = true;
    const note = document.getElementById("scan-unsupported");
    if (note) note.hidden = false;
    return;
  }
  start.hidden = false;
  start.addEventListener("click", async function () {
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch (err) {
      const note = document.getElementById("scan-denied");
      if (note) note.hidden = false;
      return;
    }
    const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    const stop = function () {
      stream.getTracks().forEach(function (t) { t.stop(); });
      video.hidden = true;
    };
    const tick = async function () {
      try {
        const codes = await detector.detect(video);
        if (codes.length) {
          stop();
          input.value = codes[0].rawValue;
          form.requestSubmit();
          return;
        }
      } catch (err) { /* a frame that could not be read: try the next one */ }
      window.requestAnimationFrame(tick);
    };
    tick();
  });
})();
