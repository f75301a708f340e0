export default function App() {
  return <h1>Vite + React</h1>;
}
