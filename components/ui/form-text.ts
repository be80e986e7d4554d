/** A text field's value from a submitted form: "" when it is missing or is a file, never "[object File]". */
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}
