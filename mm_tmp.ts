import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const addon = require('./native/build/Release/lpt_native.node');
addon.setThreads(1);
const shapes = [[1568,16,192],[1920,192,576],[1600,192,768],[1600,768,192],[1600,192,192],[1920,576,192],[1576,768,3072]];
const heap = new ArrayBuffer(4*(1600*3072*3+4096));
const f = new Float32Array(heap); for (let i=0;i<f.length;i++) f[i]=Math.random()-0.5;
const out: string[] = [];
for (const [m,k,n] of shapes) {
  const a=0, b=4*m*k, c=b+4*k*n, bias = c + 4*m*n;
  for (const withBias of [false, true]) {
  for (let i=0;i<3;i++) addon.gemm(heap,1,m,n,k,0,0,a,0,b,0,c,withBias ? bias : -1);
  const cs: number[] = [];
  for (let r=0;r<5;r++){ const t=process.cpuUsage(); for(let i=0;i<10;i++) addon.gemm(heap,1,m,n,k,0,0,a,0,b,0,c,withBias ? bias : -1); const u=process.cpuUsage(t); cs.push((u.user+u.system)/1e3/10);}
  cs.sort((x,y)=>x-y);
  out.push(`[${m},${k},${n}]${withBias?'+b':''} ${(2*m*k*n/cs[0]!/1e6).toFixed(0)}`);
  }
}
console.log('lpt 1 thread CPU GFLOP/s: ' + out.join(' | '));
