{
  "targets": [
    {
      "target_name": "lpt_native",
      "sources": ["src/lpt_native.c", "src/gemm.c", "src/elementwise.c", "src/attention.c", "src/block.c", "src/block_rows.c", "src/block_grad.c", "src/image.c"],
      "cflags": ["-O3", "-fno-math-errno", "-fopenmp"],
      "ldflags": ["-fopenmp"],
      "libraries": ["-ldl"],
      "conditions": [
        ["OS=='mac'", {
          "xcode_settings": { "OTHER_CFLAGS": ["-O3", "-fno-math-errno"] },
          "libraries!": ["-ldl"]
        }],
        ["OS=='win'", { "libraries!": ["-ldl"] }]
      ]
    }
  ]
}
