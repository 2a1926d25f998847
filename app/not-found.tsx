/** 404: an unknown model, unit or page (the cell page's own not-found says which). */
import { NotFoundMessage } from "./_components/NotFoundMessage.tsx";

export default function NotFound() {
  return <NotFoundMessage />;
}
