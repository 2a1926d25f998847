-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Model" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "corpusId" TEXT NOT NULL,
    "layers" INTEGER NOT NULL,
    "hidden" INTEGER NOT NULL,
    "vocabSize" INTEGER NOT NULL,
    "params" INTEGER NOT NULL,
    "testNats" REAL,
    "path" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cell" TEXT NOT NULL DEFAULT 'lstm',
    "kind" TEXT NOT NULL DEFAULT 'char',
    "training" TEXT NOT NULL DEFAULT '{}',
    CONSTRAINT "Model_corpusId_fkey" FOREIGN KEY ("corpusId") REFERENCES "Corpus" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Model" ("cell", "corpusId", "createdAt", "hidden", "id", "layers", "params", "path", "testNats", "training", "vocabSize") SELECT "cell", "corpusId", "createdAt", "hidden", "id", "layers", "params", "path", "testNats", "training", "vocabSize" FROM "Model";
DROP TABLE "Model";
ALTER TABLE "new_Model" RENAME TO "Model";
CREATE INDEX "Model_corpusId_idx" ON "Model"("corpusId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

