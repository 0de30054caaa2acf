export default function Loading() {
  return (
    <p className="lead" role="status">
      Loading…
    </p>
  );
}
