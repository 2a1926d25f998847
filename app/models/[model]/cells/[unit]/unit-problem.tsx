"use client";
/**
 * Carries what is wrong with a cell URL from the segment's layout (which has
 * the params) to its not-found page (which Next renders without any).
 */
import { createContext, useContext } from "react";

const UnitProblemContext = createContext<string | null>(null);

export function UnitProblem({ value, children }: { value: string | null; children: React.ReactNode }) {
  return <UnitProblemContext value={value}>{children}</UnitProblemContext>;
}

export function useUnitProblem(): string | null {
  return useContext(UnitProblemContext);
}
