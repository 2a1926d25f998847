-- CreateTable
CREATE TABLE "Corpus" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sha256" TEXT NOT NULL,
    "chars" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Model" (
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
    "training" TEXT NOT NULL DEFAULT '{}',
    CONSTRAINT "Model_corpusId_fkey" FOREIGN KEY ("corpusId") REFERENCES "Corpus" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Recording" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "modelId" TEXT NOT NULL,
    "split" TEXT NOT NULL,
    "start" INTEGER NOT NULL,
    "chars" INTEGER NOT NULL,
    "kinds" TEXT NOT NULL,
    "chunkChars" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "charsDone" INTEGER NOT NULL DEFAULT 0,
    "text" TEXT NOT NULL,
    "context" TEXT NOT NULL DEFAULT '',
    "nats" REAL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" DATETIME,
    CONSTRAINT "Recording_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "Model" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Unit" (
    "recordingId" INTEGER NOT NULL,
    "unit" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "layer" INTEGER NOT NULL,
    "index" INTEGER NOT NULL,
    "mean" REAL NOT NULL,
    "std" REAL NOT NULL,
    "min" REAL NOT NULL,
    "max" REAL NOT NULL,
    "quantiles" TEXT NOT NULL,
    "histogram" TEXT NOT NULL,
    "top" TEXT NOT NULL,
    "bottom" TEXT NOT NULL,
    "satLeft" REAL NOT NULL,
    "satRight" REAL NOT NULL,
    "sumQ" REAL NOT NULL,
    "sumQ2" REAL NOT NULL,

    PRIMARY KEY ("recordingId", "unit"),
    CONSTRAINT "Unit_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Detector" (
    "modelId" TEXT NOT NULL,
    "signal" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "r" REAL NOT NULL,
    "auc" REAL,
    "recordingId" INTEGER NOT NULL,

    PRIMARY KEY ("modelId", "signal"),
    CONSTRAINT "Detector_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "Model" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "UnitLabel" (
    "modelId" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("modelId", "unit"),
    CONSTRAINT "UnitLabel_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "Model" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Model_corpusId_idx" ON "Model"("corpusId");

-- CreateIndex
CREATE UNIQUE INDEX "Recording_modelId_split_start_chars_kinds_key" ON "Recording"("modelId", "split", "start", "chars", "kinds");

-- Bulk tables, read and written through better-sqlite3 (lib/store/activations.ts), not Prisma.
-- One row per unit and chunk of characters: the unit's bytes for those characters.
CREATE TABLE "ActivationChunk" (
    "recordingId" INTEGER NOT NULL,
    "unit" TEXT NOT NULL,
    "chunk" INTEGER NOT NULL,
    "data" BLOB NOT NULL,
    PRIMARY KEY ("recordingId", "unit", "chunk"),
    CONSTRAINT "ActivationChunk_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Per character: the loss (float32) and the top-5 next-character guesses (ids, probabilities as bytes).
CREATE TABLE "CharChunk" (
    "recordingId" INTEGER NOT NULL,
    "chunk" INTEGER NOT NULL,
    "nll" BLOB NOT NULL,
    "topIds" BLOB NOT NULL,
    "topProbs" BLOB NOT NULL,
    PRIMARY KEY ("recordingId", "chunk"),
    CONSTRAINT "CharChunk_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
