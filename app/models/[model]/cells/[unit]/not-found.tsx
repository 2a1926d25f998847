"use client";
/** 404 for a cell URL: says what is wrong with it (an unknown model, a layer or index out of range, gates not recorded). */
import { NotFoundMessage } from "@/app/_components/NotFoundMessage.tsx";
import { useUnitProblem } from "./unit-problem.tsx";

export default function UnitNotFound() {
  return <NotFoundMessage problem={useUnitProblem()} />;
}
