export default function Page() {
  return <h1>Taxonomy</h1>;
}
