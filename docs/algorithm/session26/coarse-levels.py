import gzip, random, math
d=gzip.open('/work/shared/mnist/train-images-idx3-ubyte.gz').read()[16:]
random.seed(1)
vals=[]
for n in range(1500):
    img=d[n*784:(n+1)*784]
    for _ in range(4):
        cx=random.randint(4,23); cy=random.randint(4,23)
        p=6; half=12
        for by in range(4):
            for bx in range(4):
                s=0
                for y in range(cy-half+by*p, cy-half+(by+1)*p):
                    for x in range(cx-half+bx*p, cx-half+(bx+1)*p):
                        if 0<=x<28 and 0<=y<28: s+=img[y*28+x]
                vals.append(s/36/255)
for g in (1,1.5,2,2.5,3,4):
    c=[0]*4
    for v in vals: c[min(3,int(min(1,v*g)*3+0.5))]+=1
    t=len(vals); p=[x/t for x in c]
    H=-sum(q*math.log2(q) for q in p if q>0)
    print(g,[round(q,3) for q in p],round(H,3))
