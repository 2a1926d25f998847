;; Σ q[i]·y[i] over every unit of a recording, with WebAssembly SIMD.
;; q: one byte per character per unit (the stored activations), y: the
;; search signal scaled to int16. Each 16 bytes of q are widened to two i16x8
;; vectors and multiplied-and-added with i32x4.dot_i16x8_s. A lane gains at
;; most 2·(2·255·32767) ≈ 33.4M per step, so the i32 accumulator is flushed to
;; a float64 sum every 64 steps (1024 characters), before it could overflow.
;; Build: npm run build:wasm (scripts/build-wasm.mjs) → dot-wasm.ts.
(module
  (memory (export "memory") 1)

  ;; Σ q[i]·y[i] for i < n; n a multiple of 16; q and y 16-byte aligned.
  (func $dot (param $q i32) (param $y i32) (param $n i32) (result f64)
    (local $end i32) (local $blockEnd i32) (local $acc v128) (local $v v128) (local $sum f64)
    (local.set $end (i32.add (local.get $q) (local.get $n)))
    (block $done
      (loop $outer
        (br_if $done (i32.ge_u (local.get $q) (local.get $end)))
        (local.set $blockEnd (i32.add (local.get $q) (i32.const 1024)))
        (if (i32.gt_u (local.get $blockEnd) (local.get $end)) (then (local.set $blockEnd (local.get $end))))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (loop $inner
          (local.set $v (v128.load (local.get $q)))
          (local.set $acc
            (i32x4.add (local.get $acc)
              (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_u (local.get $v)) (v128.load (local.get $y)))))
          (local.set $acc
            (i32x4.add (local.get $acc)
              (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_u (local.get $v)) (v128.load offset=16 (local.get $y)))))
          (local.set $q (i32.add (local.get $q) (i32.const 16)))
          (local.set $y (i32.add (local.get $y) (i32.const 32)))
          (br_if $inner (i32.lt_u (local.get $q) (local.get $blockEnd))))
        (local.set $sum
          (f64.add (local.get $sum)
            (f64.add
              (f64.add (f64.convert_i32_s (i32x4.extract_lane 0 (local.get $acc))) (f64.convert_i32_s (i32x4.extract_lane 1 (local.get $acc))))
              (f64.add (f64.convert_i32_s (i32x4.extract_lane 2 (local.get $acc))) (f64.convert_i32_s (i32x4.extract_lane 3 (local.get $acc)))))))
        (br $outer)))
    (local.get $sum))

  ;; out[u] = dot(q + u·stride, y, n) for u < units (out: float64 array).
  (func (export "dotMany") (param $q i32) (param $stride i32) (param $units i32) (param $y i32) (param $n i32) (param $out i32)
    (local $u i32)
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $u) (local.get $units)))
        (f64.store
          (i32.add (local.get $out) (i32.shl (local.get $u) (i32.const 3)))
          (call $dot (i32.add (local.get $q) (i32.mul (local.get $u) (local.get $stride))) (local.get $y) (local.get $n)))
        (local.set $u (i32.add (local.get $u) (i32.const 1)))
        (br $each))))
;; Σ q[i] and Σ q[i]² for i < n (n a multiple of 16; q need not be aligned),
  ;; stored as float64 at out and out + 8: a unit's sums over a stretch of the
  ;; recording. Per step a lane gains at most 2·2·255 (Σq) or 2·2·255² ≈ 260k
  ;; (Σq²), so the accumulators are flushed every 64 steps, as in $dot.
  (func $sums (param $q i32) (param $n i32) (param $out i32)
    (local $end i32) (local $blockEnd i32) (local $s1 v128) (local $s2 v128) (local $lo v128) (local $hi v128)
    (local $sum f64) (local $sum2 f64)
    (local.set $end (i32.add (local.get $q) (local.get $n)))
    (block $done
      (loop $outer
        (br_if $done (i32.ge_u (local.get $q) (local.get $end)))
        (local.set $blockEnd (i32.add (local.get $q) (i32.const 1024)))
        (if (i32.gt_u (local.get $blockEnd) (local.get $end)) (then (local.set $blockEnd (local.get $end))))
        (local.set $s1 (v128.const i32x4 0 0 0 0))
        (local.set $s2 (v128.const i32x4 0 0 0 0))
        (loop $inner
          (local.set $lo (i16x8.extend_low_i8x16_u (v128.load (local.get $q))))
          (local.set $hi (i16x8.extend_high_i8x16_u (v128.load (local.get $q))))
          (local.set $s1 (i32x4.add (local.get $s1) (i32x4.extadd_pairwise_i16x8_s (i16x8.add (local.get $lo) (local.get $hi)))))
          (local.set $s2
            (i32x4.add (local.get $s2)
              (i32x4.add (i32x4.dot_i16x8_s (local.get $lo) (local.get $lo)) (i32x4.dot_i16x8_s (local.get $hi) (local.get $hi)))))
          (local.set $q (i32.add (local.get $q) (i32.const 16)))
          (br_if $inner (i32.lt_u (local.get $q) (local.get $blockEnd))))
        (local.set $sum
          (f64.add (local.get $sum)
            (f64.convert_i32_s (i32.add (i32.add (i32x4.extract_lane 0 (local.get $s1)) (i32x4.extract_lane 1 (local.get $s1)))
                                        (i32.add (i32x4.extract_lane 2 (local.get $s1)) (i32x4.extract_lane 3 (local.get $s1)))))))
        (local.set $sum2
          (f64.add (local.get $sum2)
            (f64.add
              (f64.add (f64.convert_i32_s (i32x4.extract_lane 0 (local.get $s2))) (f64.convert_i32_s (i32x4.extract_lane 1 (local.get $s2))))
              (f64.add (f64.convert_i32_s (i32x4.extract_lane 2 (local.get $s2))) (f64.convert_i32_s (i32x4.extract_lane 3 (local.get $s2)))))))
        (br $outer)))
    (f64.store (local.get $out) (local.get $sum))
    (f64.store offset=8 (local.get $out) (local.get $sum2)))

  ;; sums(q + u·stride, n) for u < units, into out[2u], out[2u + 1] (float64).
  (func (export "sumsMany") (param $q i32) (param $stride i32) (param $units i32) (param $n i32) (param $out i32)
    (local $u i32)
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $u) (local.get $units)))
        (call $sums (i32.add (local.get $q) (i32.mul (local.get $u) (local.get $stride))) (local.get $n)
          (i32.add (local.get $out) (i32.shl (local.get $u) (i32.const 4))))
        (local.set $u (i32.add (local.get $u) (i32.const 1)))
        (br $each))))
)
