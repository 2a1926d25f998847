/** 404 for a path under a cell URL that spells no unit (`/cells/x/1/5`): the general message (the layout's problem is about its first segment only). */
import { NotFoundMessage } from "@/app/_components/NotFoundMessage.tsx";

export default function UnitPathNotFound() {
  return <NotFoundMessage />;
}
