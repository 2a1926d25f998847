-- CreateTable
CREATE TABLE "SignalScore" (
    "recordingId" INTEGER NOT NULL,
    "unit" TEXT NOT NULL,
    "signal" TEXT NOT NULL,
    "r" REAL,
    "auc" REAL,
    "problem" TEXT,

    PRIMARY KEY ("recordingId", "unit", "signal"),
    CONSTRAINT "SignalScore_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

