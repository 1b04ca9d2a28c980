;; Field counting for the CSV quick check (quick-check.ts), with 128-bit SIMD: 64 bytes at a
;; time become two 64-bit masks (separator bytes, newline bytes); a block without a newline adds
;; the popcount of its separator mask, and each newline closes a line whose separator count must
;; equal the first line's. Quotes are ruled out beforehand by the caller (a file with a quote
;; character goes to the exact validator), so every separator byte splits fields.
;;
;; The bytes live in the imported memory; the state carries over between calls (one call per
;; chunk of the file; one instance per file). Assembled by `node esbuild.mjs --wasm` into field-count-wasm.ts, and a
;; spec checks that the committed bytes are this file's.
(module
  (import "env" "memory" (memory 1))
  ;; separators seen since the last newline
  (global $seps (export "seps") (mut i32) (i32.const 0))
  ;; separators per line, from the first line (-1: no line ended yet)
  (global $expected (export "expected") (mut i32) (i32.const -1))

  ;; Masks of the bytes equal to `$b` in the 64 bytes at `$p`: bit k is byte k.
  (func $mask (param $p i32) (param $b v128) (result i64)
    (i64.or
      (i64.or
        (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (v128.load offset=0 align=1 (local.get $p)) (local.get $b))))
        (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (v128.load offset=16 align=1 (local.get $p)) (local.get $b)))) (i64.const 16)))
      (i64.or
        (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (v128.load offset=32 align=1 (local.get $p)) (local.get $b)))) (i64.const 32))
        (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (v128.load offset=48 align=1 (local.get $p)) (local.get $b)))) (i64.const 48)))))

  ;; A line ended with `$n` separators: 1 when that differs from the first line's count.
  (func $endLine (param $n i32) (result i32)
    (if (i32.lt_s (global.get $expected) (i32.const 0))
      (then (global.set $expected (local.get $n)) (return (i32.const 0))))
    (i32.ne (local.get $n) (global.get $expected)))

  ;; Scans bytes [$p, $end). Returns 0, or 1 as soon as a line's field count differs from the
  ;; first line's (the caller then hands the file to the exact validator).
  (func (export "scan") (param $p i32) (param $end i32) (param $sep i32) (result i32)
    (local $vsep v128) (local $vnl v128)
    (local $sm i64) (local $nm i64) (local $bit i64) (local $upto i64)
    (local $n i32) (local $stop i32) (local $c i32)
    (local.set $vsep (i8x16.splat (local.get $sep)))
    (local.set $vnl (i8x16.splat (i32.const 10)))
    (local.set $n (global.get $seps))
    (local.set $stop (i32.sub (local.get $end) (i32.and (i32.sub (local.get $end) (local.get $p)) (i32.const 63))))
    (block $blocksDone
      (loop $blocks
        (br_if $blocksDone (i32.ge_u (local.get $p) (local.get $stop)))
        (local.set $sm (call $mask (local.get $p) (local.get $vsep)))
        (local.set $nm (call $mask (local.get $p) (local.get $vnl)))
        (block $noNewline
          (br_if $noNewline (i64.eqz (local.get $nm)))
          (loop $lines
            ;; lowest newline bit, and the bits at and below it
            (local.set $bit (i64.and (local.get $nm) (i64.sub (i64.const 0) (local.get $nm))))
            (local.set $upto (i64.or (local.get $bit) (i64.sub (local.get $bit) (i64.const 1))))
            (local.set $n (i32.add (local.get $n) (i32.wrap_i64 (i64.popcnt (i64.and (local.get $sm) (local.get $upto))))))
            (if (call $endLine (local.get $n))
              (then (global.set $seps (i32.const 0)) (return (i32.const 1))))
            (local.set $n (i32.const 0))
            (local.set $sm (i64.and (local.get $sm) (i64.xor (local.get $upto) (i64.const -1))))
            (local.set $nm (i64.xor (local.get $nm) (local.get $bit)))
            (br_if $lines (i64.ne (local.get $nm) (i64.const 0)))))
        (local.set $n (i32.add (local.get $n) (i32.wrap_i64 (i64.popcnt (local.get $sm)))))
        (local.set $p (i32.add (local.get $p) (i32.const 64)))
        (br $blocks)))
    ;; the last bytes, one at a time
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $c (i32.load8_u (local.get $p)))
        (if (i32.eq (local.get $c) (local.get $sep))
          (then (local.set $n (i32.add (local.get $n) (i32.const 1))))
          (else
            (if (i32.eq (local.get $c) (i32.const 10))
              (then
                (if (call $endLine (local.get $n))
                  (then (global.set $seps (i32.const 0)) (return (i32.const 1))))
                (local.set $n (i32.const 0))))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $tail)))
    (global.set $seps (local.get $n))
    (i32.const 0)))
