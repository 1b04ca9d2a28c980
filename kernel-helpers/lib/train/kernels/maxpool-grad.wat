;; MaxPoolGrad for NHWC float32 tensors that live in the wasm backend's own memory (imported, so no
;; copies): for each output position and channel, the first maximum of the window (row-major,
;; padding excluded; NaN and -inf never win — the rule of tfjs's cpu reference) receives dy.
;; Four channels at a time with 128-bit SIMD; the channels left over one at a time.
;; The memory import is written by esbuild.mjs --wasm: shared (threaded build) or not (stock build).
(module
  ;; MEMORY
  (func (export "maxpool_grad")
    (param $x i32) (param $dy i32) (param $dx i32)
    (param $B i32) (param $H i32) (param $W i32) (param $C i32)
    (param $Ho i32) (param $Wo i32) (param $kh i32) (param $kw i32)
    (param $sh i32) (param $sw i32) (param $top i32) (param $left i32)
    (local $n i32) (local $oy i32) (local $ox i32) (local $a i32) (local $b i32) (local $c i32)
    (local $y0 i32) (local $x0 i32) (local $iy i32) (local $ix i32)
    (local $base i32) (local $o i32) (local $c4 i32) (local $idx i32)
    (local $v v128) (local $best v128) (local $where v128) (local $m v128) (local $iota v128)
    (local $s f32) (local $sbest f32) (local $swhere i32)
    ;; dx = 0
    (memory.fill (local.get $dx) (i32.const 0)
      (i32.shl (i32.mul (i32.mul (local.get $B) (local.get $H)) (i32.mul (local.get $W) (local.get $C))) (i32.const 2)))
    (local.set $c4 (i32.and (local.get $C) (i32.const -4)))
    (local.set $iota (v128.const i32x4 0 1 2 3))
    (local.set $n (i32.const 0))
    (block $done_n (loop $loop_n
      (br_if $done_n (i32.ge_s (local.get $n) (local.get $B)))
      (local.set $oy (i32.const 0))
      (block $done_oy (loop $loop_oy
        (br_if $done_oy (i32.ge_s (local.get $oy) (local.get $Ho)))
        (local.set $y0 (i32.sub (i32.mul (local.get $oy) (local.get $sh)) (local.get $top)))
        (local.set $ox (i32.const 0))
        (block $done_ox (loop $loop_ox
          (br_if $done_ox (i32.ge_s (local.get $ox) (local.get $Wo)))
          (local.set $x0 (i32.sub (i32.mul (local.get $ox) (local.get $sw)) (local.get $left)))
          ;; o = ((n*Ho + oy)*Wo + ox)*C
          (local.set $o (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $Ho)) (local.get $oy)) (local.get $Wo)) (local.get $ox)) (local.get $C)))
          ;; four channels at a time
          (local.set $c (i32.const 0))
          (block $done_c (loop $loop_c
            (br_if $done_c (i32.ge_s (local.get $c) (local.get $c4)))
            (local.set $best (f32x4.splat (f32.const -inf)))
            (local.set $where (i32x4.splat (i32.const -1)))
            (local.set $a (i32.const 0))
            (block $done_a (loop $loop_a
              (br_if $done_a (i32.ge_s (local.get $a) (local.get $kh)))
              (local.set $iy (i32.add (local.get $y0) (local.get $a)))
              (if (i32.and (i32.ge_s (local.get $iy) (i32.const 0)) (i32.lt_s (local.get $iy) (local.get $H)))
                (then
                  (local.set $b (i32.const 0))
                  (block $done_b (loop $loop_b
                    (br_if $done_b (i32.ge_s (local.get $b) (local.get $kw)))
                    (local.set $ix (i32.add (local.get $x0) (local.get $b)))
                    (if (i32.and (i32.ge_s (local.get $ix) (i32.const 0)) (i32.lt_s (local.get $ix) (local.get $W)))
                      (then
                        ;; base = ((n*H + iy)*W + ix)*C + c
                        (local.set $base (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $H)) (local.get $iy)) (local.get $W)) (local.get $ix)) (local.get $C)) (local.get $c)))
                        (local.set $v (v128.load (i32.add (local.get $x) (i32.shl (local.get $base) (i32.const 2)))))
                        (local.set $m (f32x4.gt (local.get $v) (local.get $best)))
                        (local.set $best (v128.bitselect (local.get $v) (local.get $best) (local.get $m)))
                        (local.set $where (v128.bitselect (i32x4.add (i32x4.splat (local.get $base)) (local.get $iota)) (local.get $where) (local.get $m)))))
                    (local.set $b (i32.add (local.get $b) (i32.const 1)))
                    (br $loop_b)))))
              (local.set $a (i32.add (local.get $a) (i32.const 1)))
              (br $loop_a)))
            ;; scatter the four gradients
            (local.set $idx (i32x4.extract_lane 0 (local.get $where)))
            (if (i32.ge_s (local.get $idx) (i32.const 0)) (then (call $add (local.get $dx) (local.get $dy) (local.get $idx) (i32.add (local.get $o) (local.get $c)))))
            (local.set $idx (i32x4.extract_lane 1 (local.get $where)))
            (if (i32.ge_s (local.get $idx) (i32.const 0)) (then (call $add (local.get $dx) (local.get $dy) (local.get $idx) (i32.add (local.get $o) (i32.add (local.get $c) (i32.const 1))))))
            (local.set $idx (i32x4.extract_lane 2 (local.get $where)))
            (if (i32.ge_s (local.get $idx) (i32.const 0)) (then (call $add (local.get $dx) (local.get $dy) (local.get $idx) (i32.add (local.get $o) (i32.add (local.get $c) (i32.const 2))))))
            (local.set $idx (i32x4.extract_lane 3 (local.get $where)))
            (if (i32.ge_s (local.get $idx) (i32.const 0)) (then (call $add (local.get $dx) (local.get $dy) (local.get $idx) (i32.add (local.get $o) (i32.add (local.get $c) (i32.const 3))))))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $loop_c)))
          ;; the channels left over, one at a time
          (block $done_r (loop $loop_r
            (br_if $done_r (i32.ge_s (local.get $c) (local.get $C)))
            (local.set $sbest (f32.const -inf))
            (local.set $swhere (i32.const -1))
            (local.set $a (i32.const 0))
            (block $done_ra (loop $loop_ra
              (br_if $done_ra (i32.ge_s (local.get $a) (local.get $kh)))
              (local.set $iy (i32.add (local.get $y0) (local.get $a)))
              (if (i32.and (i32.ge_s (local.get $iy) (i32.const 0)) (i32.lt_s (local.get $iy) (local.get $H)))
                (then
                  (local.set $b (i32.const 0))
                  (block $done_rb (loop $loop_rb
                    (br_if $done_rb (i32.ge_s (local.get $b) (local.get $kw)))
                    (local.set $ix (i32.add (local.get $x0) (local.get $b)))
                    (if (i32.and (i32.ge_s (local.get $ix) (i32.const 0)) (i32.lt_s (local.get $ix) (local.get $W)))
                      (then
                        (local.set $base (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $H)) (local.get $iy)) (local.get $W)) (local.get $ix)) (local.get $C)) (local.get $c)))
                        (local.set $s (f32.load (i32.add (local.get $x) (i32.shl (local.get $base) (i32.const 2)))))
                        (if (f32.gt (local.get $s) (local.get $sbest))
                          (then (local.set $sbest (local.get $s)) (local.set $swhere (local.get $base))))))
                    (local.set $b (i32.add (local.get $b) (i32.const 1)))
                    (br $loop_rb)))))
              (local.set $a (i32.add (local.get $a) (i32.const 1)))
              (br $loop_ra)))
            (if (i32.ge_s (local.get $swhere) (i32.const 0)) (then (call $add (local.get $dx) (local.get $dy) (local.get $swhere) (i32.add (local.get $o) (local.get $c)))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $loop_r)))
          (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
          (br $loop_ox)))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $loop_oy)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $loop_n))))
  ;; dx[i] += dy[j]
  (func $add (param $dx i32) (param $dy i32) (param $i i32) (param $j i32)
    (local $p i32)
    (local.set $p (i32.add (local.get $dx) (i32.shl (local.get $i) (i32.const 2))))
    (f32.store (local.get $p)
      (f32.add (f32.load (local.get $p)) (f32.load (i32.add (local.get $dy) (i32.shl (local.get $j) (i32.const 2))))))))
