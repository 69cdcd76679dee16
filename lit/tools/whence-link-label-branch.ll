; A call through a select of two function addresses, one of them loaded
; (here from the GOT under -fPIC): the X86 backend makes the select a
; cmov with a memory operand and then a branch (cmov conversion).  The
; label, an INLINEASM with no operand in common with the cmov, was
; scheduled before it, so it lay before the branch; block placement put
; another labelled call's block between the label and the call, and the
; runtime named the call's return address by that call's line, with the
; records and with whence-link's table alike.  Found by
; scripts/scan-link.sh on zstd 1.5.4 (lib/, -O1, -O2, -O3; PIC and PIE;
; 1 WRONG call):
;   libzstd.so ZSTD_compressLiterals calling huf_compress (indirect):
;   whence zstd_compress_literals.c:63 (the inlined memcpy of
;   ZSTD_noCompressLiterals), DWARF zstd_compress_literals.c:173
; The function reduced by llvm-reduce (clang -O2 -fPIC -emit-llvm, then
; the plugin's O2 pipeline again).  Since the fix the label asm takes the
; call's operands that a cmov computes as inputs (passes/instrument.c,
; cmov_operands), so it follows the cmov and any branch made of it.
; Inputs/label-blocks.py reports every labelled call whose last label
; before it, in layout order, is another call's.
; RUN: %clang -O2 -fPIC -S -x ir -fpass-plugin=%plugin %s -o %t.s
; RUN: python3 %S/Inputs/label-blocks.py %t.s | FileCheck %s
; CHECK: label-blocks: 2 labelled calls, 0 without a label of their own
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

; Function Attrs: nocallback nofree nosync nounwind willreturn memory(argmem: readwrite)
declare void @llvm.lifetime.start.p0(i64 immarg, ptr nocapture) #0

; Function Attrs: nocallback nofree nounwind willreturn memory(argmem: readwrite)
declare void @llvm.memcpy.p0.p0.i64(ptr noalias nocapture writeonly, ptr noalias nocapture readonly, i64, i1 immarg) #1

; Function Attrs: nocallback nofree nosync nounwind willreturn memory(argmem: readwrite)
declare void @llvm.lifetime.end.p0(i64 immarg, ptr nocapture) #0

; Function Attrs: nounwind uwtable
define i64 @ZSTD_compressLiterals(ptr noundef %0, i64 noundef %1, ptr noundef %2, i64 noundef %3, ptr noundef %4, i64 noundef %5, ptr noundef %6, i32 noundef %7, i32 noundef %8, i32 noundef %9, i1 %10, i1 %11) #2 {
  %13 = icmp eq i32 %8, 0
  br i1 %13, label %19, label %14

14:                                               ; preds = %12
  %15 = icmp ugt i64 %3, 0
  br i1 %10, label %17, label %16

16:                                               ; preds = %14
  store i8 0, ptr %0, align 1
  br label %18

17:                                               ; preds = %14
  store i16 0, ptr %0, align 1
  br label %18

common.ret:                                       ; preds = %31, %19, %18
  %common.ret.op = phi i64 [ 0, %18 ], [ 0, %31 ], [ 0, %19 ]
  ret i64 0

18:                                               ; preds = %17, %16
  tail call void @llvm.memcpy.p0.p0.i64(ptr nonnull align 4294967296 null, ptr readonly align 1 %2, i64 %3, i1 false)
  br label %common.ret

19:                                               ; preds = %12
  %20 = icmp ult i64 %3, 1
  %21 = icmp ugt i32 %7, 0
  %22 = select i1 %21, i32 2, i32 0
  %23 = select i1 %11, ptr @HUF_compress1X_repeat, ptr null
  %24 = call i64 %23(ptr noundef nonnull %0, i64 noundef 1, ptr noundef %2, i64 noundef 1, i32 noundef 1, i32 noundef 1, ptr noundef null, i64 noundef 0, ptr noundef nonnull null, ptr noundef nonnull null, i32 noundef %22) #5
  %25 = add i32 1, 0
  %26 = select i1 %21, i32 1, i32 6
  %27 = zext nneg i32 %26 to i64
  %28 = lshr i64 %3, %27
  %29 = sub i64 0, %28
  %30 = icmp ult i64 0, %29
  br i1 %30, label %31, label %common.ret

31:                                               ; preds = %19
  store i16 0, ptr %0, align 1
  br label %common.ret
}

declare i64 @HUF_compress1X_repeat() #3

; Function Attrs: nocallback nofree nosync nounwind speculatable willreturn memory(none)
declare i32 @llvm.smin.i32(i32, i32) #4

attributes #0 = { nocallback nofree nosync nounwind willreturn memory(argmem: readwrite) }
attributes #1 = { nocallback nofree nounwind willreturn memory(argmem: readwrite) }
attributes #2 = { nounwind uwtable "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="x86-64" "target-features"="+cmov,+cx8,+fxsr,+mmx,+sse,+sse2,+x87" "tune-cpu"="generic" }
attributes #3 = { "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="x86-64" "target-features"="+cmov,+cx8,+fxsr,+mmx,+sse,+sse2,+x87" "tune-cpu"="generic" }
attributes #4 = { nocallback nofree nosync nounwind speculatable willreturn memory(none) }
attributes #5 = { nounwind }
