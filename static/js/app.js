// VisitFlow: the little glue htmx does not cover. No business rules here.
document.addEventListener("htmx:responseError", function (event) {
  const box = document.querySelector("#main");
  if (!box) return;
  const alert = document.createElement("div");
  alert.className = "alert alert-danger";
  alert.setAttribute("role", "alert");
  alert.textContent = document.body.dataset.errorText || "Error";
  box.prepend(alert);
});
